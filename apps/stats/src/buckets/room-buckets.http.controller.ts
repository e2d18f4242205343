import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AccessTokenGuard, CurrentPrincipal, Principal } from '@confer/auth-client';
import { ApiErrors } from '@confer/http';
import { StatsErrors } from '../stats.errors';
import { parsePeriod, parseRoomId } from '../statistics/statistics-period';
import { RoomBuckets, RoomBucketView } from './room-buckets.service';
import { RoomBucketsQueryDto } from './room-buckets.request.dto';

/** A week of buckets is 20,160 rows at most: enough for a report, bounded for the server. */
const MAX_SPAN_MS = 7 * 24 * 3600 * 1000;

export interface RoomBucketsAnswer {
  room_id: string;
  from: string;
  to: string;
  /** Buckets in which at least one finished session was present, in time order. */
  buckets: RoomBucketView[];
}

/** One room's 30-second buckets (peers, speakers, viewers, participant-seconds) over a period. */
@ApiTags('usage')
@ApiBearerAuth()
@Controller('v1/stats/rooms')
@UseGuards(AccessTokenGuard)
@ApiErrors(400, 401, 429, StatsErrors.invalidPeriod, StatsErrors.roomIdRequired)
export class RoomBucketsHttpController {
  constructor(private readonly buckets: RoomBuckets) {}

  @Get(':roomId/buckets')
  @ApiOperation({
    summary:
      "A room's 30-second buckets of finished sessions over at most 7 days; empty buckets are left out",
  })
  @ApiParam({ name: 'roomId', description: '1 to 128 letters, digits, "_" or "-"' })
  @ApiOkResponse({
    description: '{ room_id, from, to, buckets: [{ start, peers, speakers, viewers, participant_seconds }] }',
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('roomId') roomIdParam: string,
    @Query() query: RoomBucketsQueryDto,
  ): Promise<RoomBucketsAnswer> {
    const roomId = parseRoomId(roomIdParam);
    const period = parsePeriod(query.from, query.to);
    if (period.to.getTime() - period.from.getTime() > MAX_SPAN_MS)
      throw StatsErrors.invalidPeriod(undefined, { message: 'The period spans at most 7 days' });
    return {
      room_id: roomId,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      buckets: await this.buckets.list(principal.orgId, roomId, period),
    };
  }
}
