import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AccessTokenGuard, CurrentPrincipal, Principal } from '@confer/auth-client';
import { ApiErrors } from '@confer/http';
import {
  CurrentRecordingCredentials,
  RecordingActors,
  RecordingCredentials,
  RecordingCredentialsGuard,
} from '../actors/recording-actor';
import { RecordingErrors } from '../recording.errors';
import { DeleteRecording } from './delete-recording.service';
import { RecordingControl } from './recording-control.service';
import { RecordingViews } from './recording-views.service';
import { RecordingPageView, RecordingView } from './recording.views';
import { RecordingStatus } from './recording.rows';
import { decodeCursor, RecordingsStore } from './recordings.store';
import { ListRecordingsQueryDto, RecordingActionDto } from './recordings.request.dto';

const ROOM_ID = /^[A-Za-z0-9_-]{1,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

@ApiTags('recordings')
@ApiBearerAuth()
@Controller()
export class RecordingsHttpController {
  constructor(
    private readonly control: RecordingControl,
    private readonly actors: RecordingActors,
    private readonly store: RecordingsStore,
    private readonly views: RecordingViews,
    private readonly deletion: DeleteRecording,
  ) {}

  @Post('v1/rooms/:roomId/recordings')
  @UseGuards(RecordingCredentialsGuard)
  @ApiOperation({
    summary: 'Start recording a live room',
    description:
      "Authorised by the organisation's access token (Bearer), or by a moderator's participant token with canRecord: true in the body's `token`.",
  })
  @ApiCreatedResponse({ type: RecordingView })
  @ApiErrors(400, 401, 403, 404, 409, 429)
  async start(
    @Param('roomId') roomId: string,
    @Body() _body: RecordingActionDto,
    @CurrentRecordingCredentials() credentials: RecordingCredentials,
  ): Promise<RecordingView> {
    if (!ROOM_ID.test(roomId)) throw RecordingErrors.invalidRoomId({ roomId });
    const actor = await this.actors.resolve(credentials, roomId);
    const trigger = actor.kind === 'api' ? 'api' : 'moderator';
    const recording = await this.control.start(actor.orgId, roomId, trigger, actor.by);
    return this.views.one(actor.orgId, recording);
  }

  @Post('v1/recordings/:recordingId/stop')
  @HttpCode(202)
  @UseGuards(RecordingCredentialsGuard)
  @ApiOperation({
    summary: 'Stop a recording',
    description:
      'It turns `processing` at once and `ready` when its last part is kept. Same credentials as the start.',
  })
  @ApiAcceptedResponse({ type: RecordingView })
  @ApiErrors(400, 401, 403, 404, 409, 429)
  async stop(
    @Param('recordingId') recordingId: string,
    @Body() _body: RecordingActionDto,
    @CurrentRecordingCredentials() credentials: RecordingCredentials,
  ): Promise<RecordingView> {
    if (!UUID.test(recordingId)) throw RecordingErrors.invalidRecordingId({ recordingId });
    // Credentials first: nothing is said of a recording to a caller who has none.
    if (!credentials.principal && !credentials.participantToken) throw RecordingErrors.credentialsRequired();
    const existing = await this.existing(recordingId);
    const actor = await this.actors.resolve(credentials, existing.room_id, existing.org_id);
    const stopping = await this.control.stop(actor.orgId, recordingId, 'requested', actor.by);
    return this.views.one(actor.orgId, stopping);
  }

  @Get('v1/recordings')
  @UseGuards(AccessTokenGuard)
  @ApiOperation({ summary: "The organisation's recordings, newest first (cursor pagination)" })
  @ApiOkResponse({ type: RecordingPageView })
  @ApiErrors(400, 401, 429)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListRecordingsQueryDto,
  ): Promise<RecordingPageView> {
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    if (cursor === null)
      throw RecordingErrors.invalidQuery(
        { cursor: query.cursor },
        { message: 'cursor is not one this API gave' },
      );
    const page = await this.store.page(principal.orgId, {
      roomId: query.roomId,
      status: query.status as RecordingStatus | undefined,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit ?? 20,
      cursor,
    });
    return {
      recordings: await this.views.many(principal.orgId, page.recordings),
      nextCursor: page.nextCursor,
    };
  }

  @Get('v1/recordings/:recordingId')
  @UseGuards(AccessTokenGuard)
  @ApiOperation({ summary: 'A recording: its status, progress and parts with their HLS and MP4 addresses' })
  @ApiOkResponse({ type: RecordingView })
  @ApiErrors(400, 401, 404, 429)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('recordingId') recordingId: string,
  ): Promise<RecordingView> {
    return this.views.one(principal.orgId, await this.owned(principal.orgId, recordingId));
  }

  @Delete('v1/recordings/:recordingId')
  @HttpCode(204)
  @UseGuards(AccessTokenGuard)
  @ApiOperation({ summary: "Delete a recording's files (it stays listed as deleted); 409 while it runs" })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 404, 409, 429)
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('recordingId') recordingId: string,
  ): Promise<void> {
    await this.deletion.execute(await this.owned(principal.orgId, recordingId), 'requested');
  }

  private async existing(recordingId: string) {
    if (!UUID.test(recordingId)) throw RecordingErrors.invalidRecordingId({ recordingId });
    const row = await this.store.byId(this.store.dataSourceManager(), recordingId);
    if (!row || row.deleted_at) throw RecordingErrors.recordingNotFound({ recordingId });
    return row;
  }

  private async owned(orgId: string, recordingId: string) {
    if (!UUID.test(recordingId)) throw RecordingErrors.invalidRecordingId({ recordingId });
    const row = await this.store.get(this.store.dataSourceManager(), orgId, recordingId);
    if (!row) throw RecordingErrors.recordingNotFound({ recordingId });
    return row;
  }
}
