import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessTokenGuard, CurrentPrincipal, Principal } from '@confer/auth-client';
import { ApiErrors, halPage, HalPage } from '@confer/http';
import { StatsErrors } from '../stats.errors';
import { parseInstant, parsePeriod } from '../statistics/statistics-period';
import { OrganisationUsage, UsageRow } from './usage.service';
import { UsageQueryDto } from './usage.request.dto';
import { UsagePage } from './usage.response.dto';

const DEFAULT_SPAN_MS = 30 * 24 * 3600 * 1000;
export const USAGE_PATH = '/v1/stats/usage';

/** The organisation's participant and recorded time per UTC day and room, for billing. */
@ApiTags('usage')
@ApiBearerAuth()
@Controller('v1/stats/usage')
@UseGuards(AccessTokenGuard)
@ApiErrors(400, 401, 429, StatsErrors.invalidPeriod)
export class UsageHttpController {
  constructor(private readonly usage: OrganisationUsage) {}

  @Get()
  @ApiOperation({ summary: 'Participant-minutes and recorded seconds per day and per room, paged' })
  @ApiOkResponse({ type: UsagePage })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: UsageQueryDto,
  ): Promise<HalPage<UsageRow>> {
    const to = query.to !== undefined ? parseInstant(query.to, 'to') : new Date();
    const from =
      query.from !== undefined ? parseInstant(query.from, 'from') : new Date(to.getTime() - DEFAULT_SPAN_MS);
    const period = parsePeriod(from.toISOString(), to.toISOString());
    const page = query.page ?? 0;
    const count = query.count ?? 50;
    const { rows, total } = await this.usage.page(principal.orgId, period, page, count);
    const hal = halPage(USAGE_PATH, { page, count }, rows, total);
    // Every link keeps the period, so following `next` pages through the same answer.
    const withPeriod = (href: string) =>
      href.replace(
        '?',
        `?from=${encodeURIComponent(period.from.toISOString())}&to=${encodeURIComponent(period.to.toISOString())}&`,
      );
    const links = Object.fromEntries(
      Object.entries(hal._links).map(([rel, link]) => [rel, { href: withPeriod(link.href) }]),
    ) as HalPage<UsageRow>['_links'];
    return { content: hal.content, _links: links };
  }
}
