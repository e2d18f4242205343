import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@confer/http';
import { AccessTokenGuard, CurrentPrincipal, Principal } from '@confer/auth-client';
import { RoomErrors } from '../rooms.errors';
import { assertRoomId } from '../rooms/room-id';
import { GcoreRoomApi } from './gcore-room-api.service';
import {
  BroadcastDurationResponse,
  ClosedPeerResponse,
  ClosedRoomResponse,
  ExistingPeerResponse,
  PeerCountResponse,
  PeerIdRequestDto,
} from './gcore-room-api.dto';

/**
 * Gcore's server room API, at Gcore's own paths. A room that is not live answers 400
 * (`room_not_live`), as Gcore documents for a room that does not exist.
 */
@ApiTags('gcore room API')
@ApiBearerAuth()
@Controller('rooms/:roomId')
@UseGuards(AccessTokenGuard)
@ApiErrors(400, 401, 429, RoomErrors.invalidRoomId, RoomErrors.noLiveRoom)
export class GcoreRoomApiHttpController {
  constructor(private readonly api: GcoreRoomApi) {}

  @Post('closePeer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove a peer from a live room (it leaves with reason kicked)' })
  @ApiOkResponse({ type: ClosedPeerResponse })
  @ApiErrors(RoomErrors.peerNotPresent)
  closePeer(
    @CurrentPrincipal() principal: Principal,
    @Param('roomId') roomId: string,
    @Body() body: PeerIdRequestDto,
  ): Promise<ClosedPeerResponse> {
    assertRoomId(roomId);
    return this.api.closePeer(principal.orgId, roomId, body.peerId);
  }

  @Get('durationOfBroadcast')
  @ApiOperation({ summary: 'How long the live room has existed, in seconds' })
  @ApiOkResponse({ type: BroadcastDurationResponse })
  durationOfBroadcast(
    @CurrentPrincipal() principal: Principal,
    @Param('roomId') roomId: string,
  ): Promise<BroadcastDurationResponse> {
    assertRoomId(roomId);
    return this.api.durationOfBroadcast(principal.orgId, roomId);
  }

  @Get('closeRoom')
  @ApiOperation({
    summary: 'Close a live room',
    description:
      'Every peer leaves with reason room_closed, then the room ends with reason closed. A GET, as Gcore defines it.',
  })
  @ApiOkResponse({ type: ClosedRoomResponse })
  closeRoom(
    @CurrentPrincipal() principal: Principal,
    @Param('roomId') roomId: string,
  ): Promise<ClosedRoomResponse> {
    assertRoomId(roomId);
    return this.api.closeRoom(principal.orgId, roomId);
  }

  @Get('numberPeers')
  @ApiOperation({ summary: 'How many peers are in the live room now' })
  @ApiOkResponse({ type: PeerCountResponse })
  numberPeers(
    @CurrentPrincipal() principal: Principal,
    @Param('roomId') roomId: string,
  ): Promise<PeerCountResponse> {
    assertRoomId(roomId);
    return this.api.numberPeers(principal.orgId, roomId);
  }

  @Post('existingPeer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Whether a peer attends the live room now' })
  @ApiOkResponse({ type: ExistingPeerResponse })
  existingPeer(
    @CurrentPrincipal() principal: Principal,
    @Param('roomId') roomId: string,
    @Body() body: PeerIdRequestDto,
  ): Promise<ExistingPeerResponse> {
    assertRoomId(roomId);
    return this.api.existingPeer(principal.orgId, roomId, body.peerId);
  }
}
