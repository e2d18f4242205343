import { Injectable } from '@nestjs/common';
import { randomInt, randomUUID } from 'crypto';
import { EntityManager, IsNull } from 'typeorm';
import { buildEvent, RoomEnded, RoomStarted } from '@confer/contracts';
import { OutboxWriter } from '@confer/outbox';
import { RoomEntity } from './room.entity';
import { RoomSessionEntity } from './room-session.entity';
import { MediaServers } from '../media-servers/media-servers';
import { PeerConnectionEntity } from '../presence/peer-connection.entity';

interface SessionRow {
  id: string;
  org_id: string;
  room_id: string;
  conference_number: string;
  media_server: string;
  started_at: string;
  ended_at: string | null;
  end_reason: 'empty' | 'closed' | null;
}

interface ConnectionRow {
  connection_id: string;
  session_id: string;
  org_id: string;
  room_id: string;
  peer_id: string;
  display_name: string | null;
  role: PeerConnectionEntity['role'];
  face: PeerConnectionEntity['face'];
  attributes: Record<string, unknown>;
  callbacks: PeerConnectionEntity['callbacks'];
  joined_at: string;
  last_seen_at: string;
  left_at: string | null;
  leave_reason: PeerConnectionEntity['leaveReason'];
}

const sessionFromRow = (r: SessionRow): RoomSessionEntity =>
  Object.assign(new RoomSessionEntity(), {
    id: r.id,
    orgId: r.org_id,
    roomId: r.room_id,
    conferenceNumber: r.conference_number,
    mediaServer: r.media_server,
    startedAt: new Date(r.started_at),
    endedAt: r.ended_at ? new Date(r.ended_at) : null,
    endReason: r.end_reason,
  });

const connectionFromRow = (r: ConnectionRow): PeerConnectionEntity =>
  Object.assign(new PeerConnectionEntity(), {
    connectionId: r.connection_id,
    sessionId: r.session_id,
    orgId: r.org_id,
    roomId: r.room_id,
    peerId: r.peer_id,
    displayName: r.display_name,
    role: r.role,
    face: r.face,
    attributes: r.attributes,
    callbacks: r.callbacks,
    joinedAt: new Date(r.joined_at),
    lastSeenAt: new Date(r.last_seen_at),
    leftAt: r.left_at ? new Date(r.left_at) : null,
    leaveReason: r.leave_reason,
  });

const SOURCE = '/confer/rooms';

/**
 * The life of rooms: a room starts with its first participant (with a conference
 * number unique among live rooms) and ends when its last one leaves. Every method
 * runs inside the caller's transaction, after lockRoom.
 */
@Injectable()
export class LiveRooms {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly mediaServers: MediaServers,
  ) {}

  /** The room's settings row, created (unprepared, empty settings) on first use. */
  async ensureRoom(tx: EntityManager, orgId: string, roomId: string): Promise<RoomEntity> {
    const repo = tx.getRepository(RoomEntity);
    const existing = await repo.findOneBy({ orgId, roomId });
    if (existing) return existing;
    await tx.query(
      `INSERT INTO rooms (org_id, room_id, settings, prepared) VALUES ($1, $2, '{}', false) ON CONFLICT DO NOTHING`,
      [orgId, roomId],
    );
    return (await repo.findOneBy({ orgId, roomId })) as RoomEntity;
  }

  async liveSession(tx: EntityManager, orgId: string, roomId: string): Promise<RoomSessionEntity | null> {
    return tx.getRepository(RoomSessionEntity).findOneBy({ orgId, roomId, endedAt: IsNull() });
  }

  /**
   * What a join needs to know, in one round trip (joins are the hot path): the room row
   * made sure of, its live session if any, and the peer's live connection in it if any.
   */
  async stateForJoin(
    tx: EntityManager,
    orgId: string,
    roomId: string,
    peerId: string,
  ): Promise<{ session: RoomSessionEntity | null; livePeer: PeerConnectionEntity | null }> {
    const [row] = (await tx.query(
      `WITH ensured AS (
         INSERT INTO rooms (org_id, room_id, settings, prepared) VALUES ($1, $2, '{}', false) ON CONFLICT DO NOTHING
       ), live AS (
         SELECT * FROM room_sessions WHERE org_id = $1 AND room_id = $2 AND ended_at IS NULL
       )
       SELECT (SELECT row_to_json(live) FROM live) AS session,
              (SELECT row_to_json(p) FROM peer_connections p, live
                WHERE p.session_id = live.id AND p.peer_id = $3 AND p.left_at IS NULL) AS peer`,
      [orgId, roomId, peerId],
    )) as Array<{ session: SessionRow | null; peer: ConnectionRow | null }>;
    return {
      session: row.session ? sessionFromRow(row.session) : null,
      livePeer: row.peer ? connectionFromRow(row.peer) : null,
    };
  }

  /** The live session, or a new one (and its room.started event) when the room is idle. */
  async startIfIdle(
    tx: EntityManager,
    orgId: string,
    roomId: string,
    known?: RoomSessionEntity | null,
  ): Promise<RoomSessionEntity> {
    const live = known === undefined ? await this.liveSession(tx, orgId, roomId) : known;
    if (live) return live;
    const session = Object.assign(new RoomSessionEntity(), {
      id: randomUUID(),
      orgId,
      roomId,
      conferenceNumber: await this.freeConferenceNumber(tx),
      mediaServer: this.mediaServers.forRoom(roomId).id,
      startedAt: new Date(),
      endedAt: null,
      endReason: null,
    });
    await tx.query(
      `INSERT INTO room_sessions (id, org_id, room_id, conference_number, media_server, started_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [session.id, orgId, roomId, session.conferenceNumber, session.mediaServer, session.startedAt],
    );
    await this.outbox.add(
      tx,
      RoomStarted,
      buildEvent(RoomStarted, {
        source: SOURCE,
        orgId,
        roomId,
        id: `room.started:${session.id}`,
        subject: `rooms/${roomId}`,
        data: {
          roomId,
          conferenceNumber: session.conferenceNumber,
          startedAt: session.startedAt.toISOString(),
          mediaServer: session.mediaServer,
        },
      }),
    );
    return session;
  }

  /** Ends the session when nobody is left in it; returns whether it ended. */
  async endIfEmpty(
    tx: EntityManager,
    session: RoomSessionEntity,
    reason: 'empty' | 'closed' = 'empty',
  ): Promise<boolean> {
    const [{ present }] = (await tx.query(
      'SELECT count(*)::int AS present FROM peer_connections WHERE session_id = $1 AND left_at IS NULL',
      [session.id],
    )) as Array<{ present: number }>;
    if (present > 0) return false;
    const endedAt = new Date();
    await tx.getRepository(RoomSessionEntity).update({ id: session.id }, { endedAt, endReason: reason });
    await this.outbox.add(
      tx,
      RoomEnded,
      buildEvent(RoomEnded, {
        source: SOURCE,
        orgId: session.orgId,
        roomId: session.roomId,
        id: `room.ended:${session.id}`,
        subject: `rooms/${session.roomId}`,
        data: {
          roomId: session.roomId,
          conferenceNumber: session.conferenceNumber,
          startedAt: session.startedAt.toISOString(),
          endedAt: endedAt.toISOString(),
          reason,
        },
      }),
    );
    return true;
  }

  /**
   * An 8-digit number no live room holds. Picked at random and checked; the unique
   * index on live numbers is the last word should two rooms draw the same one.
   */
  private async freeConferenceNumber(tx: EntityManager): Promise<string> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const candidate = String(randomInt(10_000_000, 100_000_000));
      const taken = (await tx.query(
        'SELECT 1 FROM room_sessions WHERE conference_number = $1 AND ended_at IS NULL',
        [candidate],
      )) as unknown[];
      if (taken.length === 0) return candidate;
    }
    throw new Error('no free conference number after 20 draws');
  }
}
