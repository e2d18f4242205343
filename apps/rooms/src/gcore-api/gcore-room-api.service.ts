import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { RoomErrors } from '../rooms.errors';
import { lockRoom } from '../rooms/room-lock';
import { LiveRooms } from '../rooms/live-rooms';
import { RoomSessionEntity } from '../rooms/room-session.entity';
import { PeerConnectionEntity } from '../presence/peer-connection.entity';
import { PeerDepartures } from '../presence/peer-departures';
import {
  BroadcastDurationResponse,
  ClosedPeerResponse,
  ClosedRoomResponse,
  ExistingPeerResponse,
  PeerCountResponse,
} from './gcore-room-api.dto';

/**
 * Gcore's server room API over live rooms. "A room" here is a live room: one nobody
 * is in does not exist for this API (400, as Gcore answers for a non-existent room).
 */
@Injectable()
export class GcoreRoomApi {
  constructor(
    private readonly dataSource: DataSource,
    private readonly liveRooms: LiveRooms,
    private readonly departures: PeerDepartures,
  ) {}

  async closePeer(orgId: string, roomId: string, peerId: string): Promise<ClosedPeerResponse> {
    await this.dataSource.transaction(async (tx) => {
      await lockRoom(tx, orgId, roomId);
      const session = await this.liveSession(tx, orgId, roomId);
      const live = await tx
        .getRepository(PeerConnectionEntity)
        .findOneBy({ sessionId: session.id, peerId, leftAt: IsNull() });
      if (!live) throw RoomErrors.peerNotPresent({ roomId, peerId });
      await this.departures.depart(tx, live, 'kicked');
    });
    return { roomId, peerId, closed: true };
  }

  async durationOfBroadcast(orgId: string, roomId: string): Promise<BroadcastDurationResponse> {
    const session = await this.liveSession(this.dataSource.manager, orgId, roomId);
    return {
      roomId,
      duration: Math.max(0, Math.floor((Date.now() - session.startedAt.getTime()) / 1000)),
      startedAt: session.startedAt.toISOString(),
    };
  }

  /** Every peer leaves (room_closed), then the room ends (closed), all in one transaction. */
  async closeRoom(orgId: string, roomId: string): Promise<ClosedRoomResponse> {
    const peersRemoved = await this.dataSource.transaction(async (tx) => {
      await lockRoom(tx, orgId, roomId);
      const session = await this.liveSession(tx, orgId, roomId);
      const present = await tx
        .getRepository(PeerConnectionEntity)
        .find({ where: { sessionId: session.id, leftAt: IsNull() }, order: { joinedAt: 'ASC' } });
      let removed = 0;
      for (const connection of present) {
        if (await this.departures.depart(tx, connection, 'room_closed', { endRoomIfEmpty: false })) removed++;
      }
      await this.liveRooms.endIfEmpty(tx, session, 'closed');
      return removed;
    });
    return { roomId, closed: true, peersRemoved };
  }

  async numberPeers(orgId: string, roomId: string): Promise<PeerCountResponse> {
    const session = await this.liveSession(this.dataSource.manager, orgId, roomId);
    const peers = await this.dataSource
      .getRepository(PeerConnectionEntity)
      .countBy({ sessionId: session.id, leftAt: IsNull() });
    return { roomId, peers };
  }

  async existingPeer(orgId: string, roomId: string, peerId: string): Promise<ExistingPeerResponse> {
    const session = await this.liveSession(this.dataSource.manager, orgId, roomId);
    const exists = await this.dataSource
      .getRepository(PeerConnectionEntity)
      .existsBy({ sessionId: session.id, peerId, leftAt: IsNull() });
    return { roomId, peerId, exists };
  }

  private async liveSession(
    manager: EntityManager,
    orgId: string,
    roomId: string,
  ): Promise<RoomSessionEntity> {
    const session = await this.liveRooms.liveSession(manager, orgId, roomId);
    if (!session) throw RoomErrors.noLiveRoom({ roomId });
    return session;
  }
}
