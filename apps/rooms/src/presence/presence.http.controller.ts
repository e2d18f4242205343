import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ApiErrors } from '@confer/http';
import { AccessTokenGuard, CurrentPrincipal, Principal } from '@confer/auth-client';
import { assertRoomId } from '../rooms/room-id';
import { Presence } from './presence.service';
import { LivePeers, LivePeerView } from './live-peers.service';

class ConnectionDto {
  @ApiProperty({ description: 'The connectionId the join answered' })
  @IsString()
  @Length(1, 128)
  connectionId: string;
}

class HeartbeatAnswer {
  @ApiProperty() present: true;
  @ApiProperty({ description: 'Send the next heartbeat within this many seconds' }) nextWithinSeconds: number;
}

class LivePeerDto implements LivePeerView {
  @ApiProperty() peerId: string;
  @ApiProperty({ nullable: true }) displayName: string | null;
  @ApiProperty() role: string;
  @ApiProperty({ enum: ['call', 'webinar'] }) face: string;
  @ApiProperty() joinedAt: string;
  @ApiProperty() handRaised: boolean;
  @ApiProperty({
    description: 'What a moderator allowed or forbade beyond the role',
    example: { shareScreen: false },
  })
  permissionOverrides: Record<string, boolean>;
}

class LivePeersDto {
  @ApiProperty({ type: [LivePeerDto] }) peers: LivePeerDto[];
}

@ApiTags('peers')
@Controller('v1/rooms/:roomId/peers')
export class PresenceHttpController {
  constructor(
    private readonly presence: Presence,
    private readonly livePeers: LivePeers,
  ) {}

  @Post(':peerId/heartbeat')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Keep a connection present',
    description:
      'A connection not heard of within the heartbeat timeout leaves (timed out). A 404 names why a connection is gone, e.g. replaced.',
  })
  @ApiOkResponse({ type: HeartbeatAnswer })
  @ApiErrors(400, 404)
  heartbeat(@Param('roomId') roomId: string, @Param('peerId') peerId: string, @Body() body: ConnectionDto) {
    assertRoomId(roomId);
    return this.presence.heartbeat(roomId, peerId, body.connectionId);
  }

  @Post(':peerId/leave')
  @HttpCode(204)
  @ApiOperation({ summary: 'Leave the room (the peer itself, by its connectionId)' })
  @ApiErrors(400, 404)
  async leave(
    @Param('roomId') roomId: string,
    @Param('peerId') peerId: string,
    @Body() body: ConnectionDto,
  ): Promise<void> {
    assertRoomId(roomId);
    const connection = await this.livePeers.connection(roomId, peerId, body.connectionId);
    await this.presence.remove(connection.orgId, roomId, peerId, 'left', body.connectionId);
  }

  @Delete(':peerId')
  @UseGuards(AccessTokenGuard)
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a peer from a room (server API)' })
  @ApiErrors(400, 401, 404, 429)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('roomId') roomId: string,
    @Param('peerId') peerId: string,
  ): Promise<void> {
    assertRoomId(roomId);
    await this.presence.remove(principal.orgId, roomId, peerId, 'kicked');
  }

  @Get()
  @UseGuards(AccessTokenGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The peers present in a room now' })
  @ApiOkResponse({ type: LivePeersDto })
  @ApiErrors(400, 401, 429)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('roomId') roomId: string,
  ): Promise<LivePeersDto> {
    assertRoomId(roomId);
    return { peers: await this.livePeers.list(principal.orgId, roomId) };
  }
}
