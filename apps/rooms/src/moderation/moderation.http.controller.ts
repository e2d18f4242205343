import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { RoomErrors } from '../rooms.errors';
import { assertRoomId } from '../rooms/room-id';
import {
  ActorCredentials,
  ActorCredentialsGuard,
  CONNECTION_HEADER,
  CurrentActorCredentials,
} from './moderation-actor';
import { ChangeRole } from './change-role/change-role.service';
import { Hands } from './hands/hands.service';
import { ModeratedPeers } from './moderated-peers/moderated-peers.service';
import { ModeratePeer } from './moderate-peer/moderate-peer.service';
import { ModerateRoom } from './moderate-room/moderate-room.service';
import {
  HandAnswer,
  ModeratedPeersAnswer,
  OwnConnectionDto,
  PeerModerationAnswer,
  PeerModerationRequestDto,
  RoleChangeAnswer,
  RoleChangeRequestDto,
  RoomModerationAnswer,
  RoomModerationRequestDto,
} from './moderation.request.dto';

const ACTORS =
  "Acts as a moderator of the room: send the moderator's connectionId, or call as the organisation's server API with Authorization: Bearer <access token>.";

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('v1/rooms/:roomId')
@UseGuards(ActorCredentialsGuard)
export class ModerationHttpController {
  constructor(
    private readonly moderatePeer: ModeratePeer,
    private readonly moderateRoom: ModerateRoom,
    private readonly changeRole: ChangeRole,
    private readonly hands: Hands,
    private readonly moderatedPeers: ModeratedPeers,
  ) {}

  @Post('peers/:peerId/moderation')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Act on a peer: turn its camera or microphone off, allow or forbid its screen sharing, ask it to turn something on, lower its hand, or remove it',
    description: `${ACTORS} Published as moderation.applied (and hand.lowered, or peer.left with reason kicked). A forbidden screen share holds for the rest of the room's life, reconnections included.`,
  })
  @ApiOkResponse({ type: PeerModerationAnswer })
  @ApiErrors(
    400,
    RoomErrors.actorRequired,
    RoomErrors.notInRoom,
    RoomErrors.moderatorRequired,
    RoomErrors.peerNotFound,
    RoomErrors.handNotRaised,
    RoomErrors.moderationNotApplicable,
    429,
  )
  moderate(
    @Param('roomId') roomId: string,
    @Param('peerId') peerId: string,
    @Body() body: PeerModerationRequestDto,
    @CurrentActorCredentials() credentials: ActorCredentials,
  ): Promise<PeerModerationAnswer> {
    assertRoomId(roomId);
    return this.moderatePeer.execute(roomId, peerId, body.action, credentials);
  }

  @Post('moderation')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Act on the whole room: turn every microphone or every camera off',
    description: `${ACTORS} Published as moderation.applied without a target peer.`,
  })
  @ApiOkResponse({ type: RoomModerationAnswer })
  @ApiErrors(
    400,
    RoomErrors.actorRequired,
    RoomErrors.notInRoom,
    RoomErrors.moderatorRequired,
    RoomErrors.roomNotLive,
    429,
  )
  moderateAll(
    @Param('roomId') roomId: string,
    @Body() body: RoomModerationRequestDto,
    @CurrentActorCredentials() credentials: ActorCredentials,
  ): Promise<RoomModerationAnswer> {
    assertRoomId(roomId);
    return this.moderateRoom.execute(roomId, body.action, credentials);
  }

  @Put('peers/:peerId/role')
  @HttpCode(200)
  @ApiOperation({
    summary: "Change a peer's role, e.g. make a webinar viewer a speaker",
    description: `${ACTORS} Published as peer.role-changed. Refused with room_full when maxBroadcasters or maxWatchers would be exceeded.`,
  })
  @ApiOkResponse({ type: RoleChangeAnswer })
  @ApiErrors(
    400,
    RoomErrors.actorRequired,
    RoomErrors.notInRoom,
    RoomErrors.moderatorRequired,
    RoomErrors.peerNotFound,
    RoomErrors.roomFull,
    429,
  )
  setRole(
    @Param('roomId') roomId: string,
    @Param('peerId') peerId: string,
    @Body() body: RoleChangeRequestDto,
    @CurrentActorCredentials() credentials: ActorCredentials,
  ): Promise<RoleChangeAnswer> {
    assertRoomId(roomId);
    return this.changeRole.execute(roomId, peerId, body.role, credentials);
  }

  @Post('peers/:peerId/hand/raise')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Raise your own hand (rooms with handEnabled)',
    description: 'Only the peer itself, by its connectionId. Published as hand.raised.',
  })
  @ApiOkResponse({ type: HandAnswer })
  @ApiErrors(400, RoomErrors.notInRoom, RoomErrors.forbidden, RoomErrors.handNotEnabled)
  raiseHand(
    @Param('roomId') roomId: string,
    @Param('peerId') peerId: string,
    @Body() body: OwnConnectionDto,
  ): Promise<HandAnswer> {
    assertRoomId(roomId);
    return this.hands.raise(roomId, peerId, body.connectionId);
  }

  @Post('peers/:peerId/hand/lower')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Lower your own hand',
    description:
      'Only the peer itself, by its connectionId; a moderator uses the lower_hand action. Published as hand.lowered.',
  })
  @ApiOkResponse({ type: HandAnswer })
  @ApiErrors(400, RoomErrors.notInRoom, RoomErrors.forbidden)
  lowerHand(
    @Param('roomId') roomId: string,
    @Param('peerId') peerId: string,
    @Body() body: OwnConnectionDto,
  ): Promise<HandAnswer> {
    assertRoomId(roomId);
    return this.hands.lower(roomId, peerId, body.connectionId);
  }

  @Get('moderation/peers')
  @ApiOperation({
    summary: "The moderator's panel: the peers present, with their permissions and raised hands",
    description: `${ACTORS} Without a body, the connectionId goes in the ${CONNECTION_HEADER} header.`,
  })
  @ApiHeader({ name: CONNECTION_HEADER, required: false, description: "The moderator's connectionId" })
  @ApiOkResponse({ type: ModeratedPeersAnswer })
  @ApiErrors(400, RoomErrors.actorRequired, RoomErrors.notInRoom, RoomErrors.moderatorRequired, 429)
  async panel(
    @Param('roomId') roomId: string,
    @CurrentActorCredentials() credentials: ActorCredentials,
  ): Promise<ModeratedPeersAnswer> {
    assertRoomId(roomId);
    return { peers: await this.moderatedPeers.list(roomId, credentials) };
  }
}
