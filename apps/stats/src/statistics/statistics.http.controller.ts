import { applyDecorators, Controller, Get, Query, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@confer/auth-client';
import { ApiErrors } from '@confer/http';
import { StatsErrors } from '../stats.errors';
import { PeerSessionView, PeerStatistics, RoomSummaryView } from './peer-statistics.service';
import { StatisticsAccessGuard } from './statistics-access.guard';
import { StatisticsErrorFilter } from './statistics-error.filter';
import { parsePeriod, parseRoomId } from './statistics-period';

interface StatisticsAnswer<T> {
  data: T;
  errors: [];
}

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
  @PeriodQueries()
  async summary(
    @CurrentPrincipal() principal: Principal,
    @Query() query: Record<string, unknown>,
  ): Promise<StatisticsAnswer<RoomSummaryView>> {
    const roomId = parseRoomId(query.room_id);
    const period = parsePeriod(query.from, query.to);
    return { data: await this.statistics.summary(principal.orgId, roomId, period), errors: [] };
  }

  @Get()
  @ApiOperation({ summary: 'Every session of a room in a period; a peer who left and came back has two' })
  @PeriodQueries()
  async sessions(
    @CurrentPrincipal() principal: Principal,
    @Query() query: Record<string, unknown>,
  ): Promise<StatisticsAnswer<PeerSessionView[]>> {
    const roomId = parseRoomId(query.room_id);
    const period = parsePeriod(query.from, query.to);
    return { data: await this.statistics.sessions(principal.orgId, roomId, period), errors: [] };
  }
}
