import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AccessTokenGuard, CurrentPrincipal, Principal } from '@confer/auth-client';
import { ApiErrors } from '@confer/http';
import { DataSource } from 'typeorm';
import { RecordingErrors } from '../recording.errors';
import { partName } from '../recordings/recording-views.service';
import { PartRow, RecordingRow } from '../recordings/recording.rows';
import { FileAddresses } from '../files/file-addresses';
import { OrgRecordingSettingsStore } from '../settings/org-recording-settings';

/** A recording part as Gcore's streaming platform shows a video. */
export class GcoreVideoView {
  @ApiProperty({ example: 117800 }) id!: number;
  @ApiProperty({ example: 'Recording serv1test2a 2026-11-24T10:00:00.000Z part 1' }) name!: string;
  @ApiProperty({ enum: ['pending', 'ready', 'error'], description: 'pending while recording or processing' })
  status!: string;
  @ApiProperty({ description: 'Milliseconds' }) duration!: number;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The HLS playlist, for external players',
  })
  hls_url!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: "With origin_resource: the MP4's address",
  })
  origin_host!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) origin_resource!: string | null;
  @ApiProperty() room_id!: string;
  @ApiProperty() recording_id!: string;
  @ApiProperty() part_number!: number;
  @ApiProperty() interrupted!: boolean;
}

const GCORE_STATUS: Record<string, string> = {
  recording: 'pending',
  processing: 'pending',
  ready: 'ready',
  failed: 'error',
};

/** Gcore's "Getting Recorded Video" on our host: search a room's videos, then get one by id. */
@ApiTags('gcore-videos')
@ApiBearerAuth()
@Controller('streaming/videos')
@UseGuards(AccessTokenGuard)
export class GcoreVideosHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly addresses: FileAddresses,
    private readonly settings: OrgRecordingSettingsStore,
  ) {}

  @Get('search')
  @ApiOperation({
    summary: "Search videos by name: q = the room id gives that room's recordings, one video per part",
  })
  @ApiQuery({ name: 'q', required: true, example: 'serv1test2a' })
  @ApiOkResponse({ type: [GcoreVideoView] })
  @ApiErrors(400, 401, 429)
  async search(@CurrentPrincipal() principal: Principal, @Query('q') q: unknown): Promise<GcoreVideoView[]> {
    if (typeof q !== 'string' || q.length < 1 || q.length > 256)
      throw RecordingErrors.invalidQuery(
        { q },
        { message: '"q" is required: the room id (or part of a video name)' },
      );
    const rows = (await this.dataSource.query(
      `SELECT p.*, r.room_id, r.started_at AS recording_started_at, r.deleted_at, r.status AS recording_status
       FROM recording_parts p JOIN recordings r ON r.id = p.recording_id
       WHERE r.org_id = $1 AND r.deleted_at IS NULL AND p.status <> 'failed'
         AND (r.room_id = $2 OR position(lower($2) IN lower(r.room_id)) > 0)
       ORDER BY r.started_at DESC, p.part_number LIMIT 1000`,
      [principal.orgId, q],
    )) as JoinedPart[];
    const signed = (await this.settings.get(principal.orgId)).signedUrls;
    return rows.map((row) => this.video(row, signed));
  }

  @Get(':videoId')
  @ApiOperation({ summary: "A video's metadata: hls_url, and origin_host + origin_resource for the MP4" })
  @ApiOkResponse({ type: GcoreVideoView })
  @ApiErrors(400, 401, 404, 429)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('videoId') videoId: string,
  ): Promise<GcoreVideoView> {
    if (!/^[0-9]{1,15}$/.test(videoId))
      throw RecordingErrors.invalidQuery({ videoId }, { message: 'A video id is a number' });
    const [row] = (await this.dataSource.query(
      `SELECT p.*, r.room_id, r.started_at AS recording_started_at, r.deleted_at, r.status AS recording_status
       FROM recording_parts p JOIN recordings r ON r.id = p.recording_id
       WHERE p.video_id = $1 AND r.org_id = $2 AND r.deleted_at IS NULL AND p.status <> 'failed'`,
      [videoId, principal.orgId],
    )) as JoinedPart[];
    if (!row) throw RecordingErrors.videoNotFound({ videoId });
    return this.video(row, (await this.settings.get(principal.orgId)).signedUrls);
  }

  private video(row: JoinedPart, signed: boolean): GcoreVideoView {
    const ready = row.status === 'ready';
    const recording = { room_id: row.room_id, started_at: row.recording_started_at };
    return {
      id: Number(row.video_id),
      name: partName(recording, row.part_number),
      status: GCORE_STATUS[row.status] ?? 'pending',
      duration: Math.round((row.duration_seconds ?? 0) * 1000),
      created_at: row.started_at.toISOString(),
      updated_at: (row.ended_at ?? row.started_at).toISOString(),
      hls_url: ready ? this.addresses.url(row.file_id, 'index.m3u8', signed) : null,
      origin_host: ready ? this.addresses.host : null,
      origin_resource: ready ? this.addresses.resource(row.file_id, 'video.mp4', signed) : null,
      room_id: row.room_id,
      recording_id: row.recording_id,
      part_number: row.part_number,
      interrupted: row.interrupted,
    };
  }
}

type JoinedPart = PartRow & Pick<RecordingRow, 'room_id' | 'deleted_at'> & { recording_started_at: Date };
