import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ROOMS_CONFIG, RoomsConfig } from '../config/rooms.config';
import { RoomErrors } from '../rooms.errors';
import { lockRoom } from '../rooms/room-lock';
import { PeerConnectionEntity, LeaveReason } from './peer-connection.entity';
import { PeerDepartures } from './peer-departures';

/** Keeps peers present while their connection is heard of, and takes them out otherwise. */
@Injectable()
export class Presence {
  constructor(
    private readonly dataSource: DataSource,
    private readonly departures: PeerDepartures,
    @Inject(ROOMS_CONFIG) private readonly config: RoomsConfig,
  ) {}

  /**
   * A sign of life from a connection. A connection that has left (replaced, removed,
   * timed out) is told why, so its client can say so to the person.
   */
  async heartbeat(
    roomId: string,
    peerId: string,
    connectionId: string,
  ): Promise<{ present: true; nextWithinSeconds: number }> {
    const result = (await this.dataSource.query(
      `UPDATE peer_connections SET last_seen_at = now()
        WHERE connection_id = $1 AND room_id = $2 AND peer_id = $3 AND left_at IS NULL`,
      [connectionId, roomId, peerId],
    )) as [unknown, number];
    if (result[1] === 1)
      return { present: true, nextWithinSeconds: this.config.PEER_HEARTBEAT_TIMEOUT_SECONDS };
    const gone = await this.dataSource
      .getRepository(PeerConnectionEntity)
      .findOneBy({ connectionId, roomId, peerId });
    if (!gone) throw RoomErrors.peerNotFound();
    throw RoomErrors.peerNotFound(
      { reason: gone.leaveReason },
      {
        message:
          gone.leaveReason === 'replaced'
            ? 'Someone joined into the room with your ID'
            : leaveMessage(gone.leaveReason),
      },
    );
  }

  /** Takes the peer's live connection out of the room (by itself: left; by the organisation: kicked). */
  async remove(
    orgId: string,
    roomId: string,
    peerId: string,
    reason: LeaveReason,
    connectionId?: string,
  ): Promise<PeerConnectionEntity> {
    return this.dataSource.transaction(async (tx) => {
      await lockRoom(tx, orgId, roomId);
      const live = await tx.getRepository(PeerConnectionEntity).findOneBy({
        orgId,
        roomId,
        peerId,
        leftAt: IsNull(),
        ...(connectionId ? { connectionId } : {}),
      });
      if (!live) throw RoomErrors.peerNotFound({ roomId, peerId });
      await this.departures.depart(tx, live, reason);
      return live;
    });
  }

  /**
   * Times out connections not heard of within the heartbeat timeout. Every replica
   * runs it; SKIP LOCKED and the per-room lock keep two replicas from timing out the
   * same connection twice. Returns how many left.
   */
  async sweep(limit = 200): Promise<number> {
    const lapsed = (await this.dataSource.query(
      `SELECT connection_id, org_id, room_id FROM peer_connections
        WHERE left_at IS NULL AND last_seen_at < now() - make_interval(secs => $1)
        ORDER BY last_seen_at LIMIT $2`,
      [this.config.PEER_HEARTBEAT_TIMEOUT_SECONDS, limit],
    )) as Array<{ connection_id: string; org_id: string; room_id: string }>;
    let departed = 0;
    for (const row of lapsed) {
      const left = await this.dataSource.transaction(async (tx) => {
        await lockRoom(tx, row.org_id, row.room_id);
        // Re-read under the lock: a heartbeat may have arrived meanwhile.
        const [still] = (await tx.query(
          `SELECT connection_id FROM peer_connections
            WHERE connection_id = $1 AND left_at IS NULL AND last_seen_at < now() - make_interval(secs => $2)`,
          [row.connection_id, this.config.PEER_HEARTBEAT_TIMEOUT_SECONDS],
        )) as Array<{ connection_id: string }>;
        if (!still) return false;
        const connection = await tx
          .getRepository(PeerConnectionEntity)
          .findOneByOrFail({ connectionId: row.connection_id });
        return this.departures.depart(tx, connection, 'timed_out');
      });
      if (left) departed++;
    }
    return departed;
  }
}

function leaveMessage(reason: LeaveReason | null): string {
  switch (reason) {
    case 'kicked':
      return 'A moderator removed you from the room';
    case 'timed_out':
      return 'Your connection was lost';
    case 'room_closed':
      return 'The room was closed';
    default:
      return 'You left the room';
  }
}
