import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { RoomErrors } from '../rooms.errors';
import { assertRoomId } from '../rooms/room-id';
import {
  ActorCredentials,
  ActorCredentialsGuard,
  CONNECTION_HEADER,
  CurrentActorCredentials,
} from '../moderation/moderation-actor';
import { ActorConnectionDto } from '../moderation/moderation.request.dto';
import { DecideWaiting } from './decide-waiting/decide-waiting.service';
import { SwitchWaitingRoom } from './switch-waiting-room/switch-waiting-room.service';
import { WatchWaiting } from './watch-waiting/watch-waiting.service';
import {
  WaitingEntryDto,
  WaitingListDto,
  WaitingPollQueryDto,
  WaitingRoomSwitchAnswer,
  WaitingRoomSwitchDto,
} from './waiting-room.request.dto';

const ACTORS =
  "For a moderator of the room, by the connectionId its join answered, or the organisation's server API (Authorization: Bearer <access token>).";
const MODERATOR_ERRORS = [
  RoomErrors.actorRequired,
  RoomErrors.notInRoom,
  RoomErrors.moderatorRequired,
  429,
] as const;

@ApiTags('waiting room')
@Controller('v1/rooms/:roomId')
@UseGuards(ActorCredentialsGuard)
export class WaitingRoomHttpController {
  constructor(
    private readonly watch: WatchWaiting,
    private readonly decide: DecideWaiting,
    private readonly switchWaitingRoom: SwitchWaitingRoom,
  ) {}

  @Get('waiting')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Who is waiting to be let in',
    description: `${ACTORS} Without a body, the connectionId goes in the ${CONNECTION_HEADER} header.`,
  })
  @ApiHeader({ name: CONNECTION_HEADER, required: false, description: "The moderator's connectionId" })
  @ApiOkResponse({ type: WaitingListDto })
  @ApiErrors(400, ...MODERATOR_ERRORS)
  async list(
    @Param('roomId') roomId: string,
    @CurrentActorCredentials() credentials: ActorCredentials,
  ): Promise<WaitingListDto> {
    assertRoomId(roomId);
    return { waiting: await this.watch.list(roomId, credentials) };
  }

  @Get('waiting/:waitingId')
  @ApiOperation({
    summary: 'Where my request to join stands (the waiting joiner polls with its ticket)',
    description:
      'Once admitted, join again with waitingTicket and the same peerId; rejected, the ticket is refused.',
  })
  @ApiOkResponse({ type: WaitingEntryDto })
  @ApiErrors(400, RoomErrors.waitingNotFound)
  poll(
    @Param('roomId') roomId: string,
    @Param('waitingId') waitingId: string,
    @Query() query: WaitingPollQueryDto,
  ): Promise<WaitingEntryDto> {
    assertRoomId(roomId);
    return this.watch.poll(roomId, waitingId, query.ticket);
  }

  @Post('waiting/:waitingId/admit')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Let a waiting joiner in',
    description: `${ACTORS} Published as waiting.admitted.`,
  })
  @ApiOkResponse({ type: WaitingEntryDto })
  @ApiErrors(
    400,
    ...MODERATOR_ERRORS,
    RoomErrors.waitingNotFound,
    RoomErrors.waitingAlreadyDecided,
    RoomErrors.waitingExpired,
  )
  admit(
    @Param('roomId') roomId: string,
    @Param('waitingId') waitingId: string,
    @Body() _body: ActorConnectionDto,
    @CurrentActorCredentials() credentials: ActorCredentials,
  ): Promise<WaitingEntryDto> {
    assertRoomId(roomId);
    return this.decide.execute(roomId, waitingId, 'admitted', credentials);
  }

  @Post('waiting/:waitingId/reject')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Turn a waiting joiner away',
    description: `${ACTORS} Published as waiting.rejected; the joiner's ticket is refused from then on.`,
  })
  @ApiOkResponse({ type: WaitingEntryDto })
  @ApiErrors(
    400,
    ...MODERATOR_ERRORS,
    RoomErrors.waitingNotFound,
    RoomErrors.waitingAlreadyDecided,
    RoomErrors.waitingExpired,
  )
  reject(
    @Param('roomId') roomId: string,
    @Param('waitingId') waitingId: string,
    @Body() _body: ActorConnectionDto,
    @CurrentActorCredentials() credentials: ActorCredentials,
  ): Promise<WaitingEntryDto> {
    assertRoomId(roomId);
    return this.decide.execute(roomId, waitingId, 'rejected', credentials);
  }

  @Put('waiting-room')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Turn the waiting room of the live room on or off',
    description: `${ACTORS} Holds for this life of the room, over tokens and prepared settings. Published as room.settings-changed; turning it off admits everyone waiting (waiting.admitted).`,
  })
  @ApiOkResponse({ type: WaitingRoomSwitchAnswer })
  @ApiErrors(400, ...MODERATOR_ERRORS, RoomErrors.roomNotLive)
  setWaitingRoom(
    @Param('roomId') roomId: string,
    @Body() body: WaitingRoomSwitchDto,
    @CurrentActorCredentials() credentials: ActorCredentials,
  ): Promise<WaitingRoomSwitchAnswer> {
    assertRoomId(roomId);
    return this.switchWaitingRoom.execute(roomId, body.enabled, credentials);
  }
}
