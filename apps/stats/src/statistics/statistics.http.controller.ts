import { applyDecorators, Controller, Get, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal } from '@confer/auth-client';
import { ApiErrors } from '@confer/http';
import { StatsErrors } from '../stats.errors';
import { PeerStatistics } from './peer-statistics.service';
import { KeptAnswer } from './statistics-answer-cache';
import { StatisticsAccessGuard } from './statistics-access.guard';
import { StatisticsErrorFilter } from './statistics-error.filter';
import { parsePeriod, parseRoomId } from './statistics-period';

/**
 * The answers are JSON bodies already (kept while their room is unchanged), sent as they are
 * with the entity tag they were kept under; a client that sends it back gets 304.
 */
const send = (res: Response, answer: KeptAnswer) =>
  void res.status(200).type('application/json').set('ETag', answer.etag).send(answer.body);

const PeriodQueries = () =>
  applyDecorators(
    ApiQuery({ name: 'room_id', required: true }),
    ApiQuery({ name: 'from', required: true, description: 'ISO-8601, e.g. 2021-06-21T00:00:00.0Z' }),
    ApiQuery({ name: 'to', required: true, description: 'ISO-8601, e.g. 2021-06-22T23:59:59.99Z' }),
  );

/** Gcore's statistics API on our host (seeds/002, "Statistics"). */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller('streaming/statistics/peers')
@UseGuards(StatisticsAccessGuard)
@UseFilters(StatisticsErrorFilter)
@ApiErrors(
  StatsErrors.invalidPeriod,
  StatsErrors.roomIdRequired,
  StatsErrors.unauthorized,
  StatsErrors.noData,
)
export class StatisticsHttpController {
  constructor(private readonly statistics: PeerStatistics) {}

  @Get('summary')
  @ApiOperation({ summary: 'Participants, first join, last leave and active seconds of a room in a period' })
  @ApiOkResponse({ description: '{"data":{"participants","start_time","end_time","duration"},"errors":[]}' })
  @PeriodQueries()
  async summary(
    @CurrentPrincipal() principal: Principal,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const roomId = parseRoomId(query.room_id);
    const period = parsePeriod(query.from, query.to);
    send(res, await this.statistics.summaryBody(principal.orgId, roomId, period));
  }

  @Get()
  @ApiOperation({ summary: 'Every session of a room in a period; a peer who left and came back has two' })
  @ApiOkResponse({
    description: '{"data":[{"person_id","join_time","leave_time","duration"}…],"errors":[]}, in join order',
  })
  @PeriodQueries()
  async sessions(
    @CurrentPrincipal() principal: Principal,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const roomId = parseRoomId(query.room_id);
    const period = parsePeriod(query.from, query.to);
    send(res, await this.statistics.sessionsBody(principal.orgId, roomId, period));
  }
}
