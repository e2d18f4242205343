import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PeerLeft } from '@confer/contracts';
import { OutboxWriter } from '@confer/outbox';
import { LiveRooms } from '../rooms/live-rooms';
import { RoomSessionEntity } from '../rooms/room-session.entity';
import { LeaveReason, PeerConnectionEntity } from './peer-connection.entity';
import { peerLeftEvent } from './peer-events';

/** Takes a connection out of its room, announces it, and ends the room if it was the last. */
@Injectable()
export class PeerDepartures {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly liveRooms: LiveRooms,
  ) {}

  /**
   * Inside the caller's transaction, after lockRoom. Returns false when the
   * connection had already left (a leave is idempotent).
   */
  async depart(
    tx: EntityManager,
    connection: PeerConnectionEntity,
    reason: LeaveReason,
    options: { endRoomIfEmpty?: boolean } = {},
  ): Promise<boolean> {
    const leftAt = new Date();
    const result = await tx.query(
      `UPDATE peer_connections SET left_at = $2, leave_reason = $3 WHERE connection_id = $1 AND left_at IS NULL`,
      [connection.connectionId, leftAt, reason],
    );
    const affected = (result as [unknown, number])[1];
    if (affected !== 1) return false;
    const session = (await tx
      .getRepository(RoomSessionEntity)
      .findOneBy({ id: connection.sessionId })) as RoomSessionEntity;
    await this.outbox.add(tx, PeerLeft, peerLeftEvent(connection, session, reason, leftAt));
    if (options.endRoomIfEmpty !== false) await this.liveRooms.endIfEmpty(tx, session);
    return true;
  }
}
