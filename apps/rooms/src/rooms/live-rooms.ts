import { Injectable } from '@nestjs/common';
import { randomInt, randomUUID } from 'crypto';
import { EntityManager, IsNull } from 'typeorm';
import { buildEvent, RoomEnded, RoomStarted } from '@confer/contracts';
import { OutboxWriter } from '@confer/outbox';
import { RoomSessionEntity } from './room-session.entity';
import { MediaPlacementService } from '../media-servers/placement/media-placement.service';

const SOURCE = '/confer/rooms';

/** An 8-digit conference number, drawn at random; whoever starts a room checks it is free. */
export const drawConferenceNumber = (): string => String(randomInt(10_000_000, 100_000_000));

/** The event id is derived from the session, so a retried transaction cannot announce twice. */
export function roomStartedEvent(session: RoomSessionEntity) {
  return buildEvent(RoomStarted, {
    source: SOURCE,
    orgId: session.orgId,
    roomId: session.roomId,
    id: `room.started:${session.id}`,
    subject: `rooms/${session.roomId}`,
    data: {
      roomId: session.roomId,
      conferenceNumber: session.conferenceNumber,
      startedAt: session.startedAt.toISOString(),
      mediaServer: session.mediaServer,
    },
  });
}

/**
 * The life of rooms: a room starts with its first participant (with a conference
 * number unique among live rooms) and ends when its last one leaves. Every method
 * runs inside the caller's transaction, after lockRoom.
 */
@Injectable()
export class LiveRooms {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly placement: MediaPlacementService,
  ) {}

  /** Makes sure the room's settings row exists (rows hanging off the room need it). */
  async ensureRoomRow(tx: EntityManager, orgId: string, roomId: string): Promise<void> {
    await tx.query(
      `INSERT INTO rooms (org_id, room_id, settings, prepared) VALUES ($1, $2, '{}', false) ON CONFLICT DO NOTHING`,
      [orgId, roomId],
    );
  }

  /** A new life of the room, not stored yet; its number must still be checked free. */
  newSession(orgId: string, roomId: string, conferenceNumber = drawConferenceNumber()): RoomSessionEntity {
    return Object.assign(new RoomSessionEntity(), {
      id: randomUUID(),
      orgId,
      roomId,
      conferenceNumber,
      mediaServer: this.placement.placeNewRoom(roomId).id,
      startedAt: new Date(),
      endedAt: null,
      endReason: null,
    });
  }

  async liveSession(tx: EntityManager, orgId: string, roomId: string): Promise<RoomSessionEntity | null> {
    return tx.getRepository(RoomSessionEntity).findOneBy({ orgId, roomId, endedAt: IsNull() });
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
    const session = this.newSession(orgId, roomId, await this.freeConferenceNumber(tx));
    await tx.query(
      `INSERT INTO room_sessions (id, org_id, room_id, conference_number, media_server, started_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [session.id, orgId, roomId, session.conferenceNumber, session.mediaServer, session.startedAt],
    );
    await this.outbox.add(tx, RoomStarted, roomStartedEvent(session));
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
      const candidate = drawConferenceNumber();
      const taken = (await tx.query(
        'SELECT 1 FROM room_sessions WHERE conference_number = $1 AND ended_at IS NULL',
        [candidate],
      )) as unknown[];
      if (taken.length === 0) return candidate;
    }
    throw new Error('no free conference number after 20 draws');
  }
}
