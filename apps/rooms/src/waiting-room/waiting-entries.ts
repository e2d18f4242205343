import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { WaitingAdmitted, WaitingRejected } from '@confer/contracts';
import { OutboxWriter } from '@confer/outbox';
import { RoomSessionEntity } from '../rooms/room-session.entity';
import { LiveRoomSettingsEntity } from './live-room-settings.entity';
import { WaitingEntryEntity } from './waiting-entry.entity';
import { waitingAdmittedEvent, waitingRejectedEvent } from './waiting-events';
import { expiresAt, statusAt } from './waiting-policy';

export interface WaitingEntryView {
  waitingId: string;
  peerId: string;
  displayName: string | null;
  status: string;
  requestedAt: string;
  decidedAt: string | null;
  expiresAt: string;
}

export function waitingView(entry: WaitingEntryEntity, now = new Date()): WaitingEntryView {
  return {
    waitingId: entry.id,
    peerId: entry.peerId,
    displayName: entry.displayName,
    status: statusAt(entry, now),
    requestedAt: entry.requestedAt.toISOString(),
    decidedAt: entry.decidedAt?.toISOString() ?? null,
    expiresAt: expiresAt(entry).toISOString(),
  };
}

/** The waiting room's state: entries, decisions on them, and the moderator's choice for the live room. */
@Injectable()
export class WaitingEntries {
  constructor(private readonly outbox: OutboxWriter) {}

  /** The moderator's on/off for this life of the room, or null when nobody chose. */
  async liveChoice(tx: EntityManager, sessionId: string): Promise<boolean | null> {
    const row = await tx.getRepository(LiveRoomSettingsEntity).findOneBy({ sessionId });
    return row?.waitingRoom ?? null;
  }

  /** Records the choice; returns whether it changed. `onlyIfUnset` keeps an earlier explicit choice. */
  async choose(
    tx: EntityManager,
    sessionId: string,
    waitingRoom: boolean,
    by: string,
    options: { onlyIfUnset?: boolean } = {},
  ): Promise<boolean> {
    const before = await this.liveChoice(tx, sessionId);
    if (before === waitingRoom || (options.onlyIfUnset && before !== null)) return false;
    await tx.query(
      `INSERT INTO live_room_settings (session_id, waiting_room, updated_by, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (session_id) DO UPDATE
         SET waiting_room = EXCLUDED.waiting_room, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [sessionId, waitingRoom, by],
    );
    return true;
  }

  /**
   * Settles a pending entry and announces it, inside the caller's transaction after
   * lockRoom. The event names the live room when there is one.
   */
  async decide(
    tx: EntityManager,
    entry: WaitingEntryEntity,
    status: 'admitted' | 'rejected',
    by: string,
  ): Promise<WaitingEntryEntity> {
    Object.assign(entry, { status, decidedAt: new Date(), decidedBy: by });
    await tx
      .getRepository(WaitingEntryEntity)
      .update({ id: entry.id }, { status, decidedAt: entry.decidedAt, decidedBy: by });
    const live = await tx
      .getRepository(RoomSessionEntity)
      .findOneBy({ orgId: entry.orgId, roomId: entry.roomId, endedAt: IsNull() });
    const conferenceNumber = live?.conferenceNumber ?? entry.conferenceNumber;
    if (status === 'admitted')
      await this.outbox.add(tx, WaitingAdmitted, waitingAdmittedEvent(entry, conferenceNumber));
    else await this.outbox.add(tx, WaitingRejected, waitingRejectedEvent(entry, conferenceNumber));
    return entry;
  }

  /** Entries still waiting for a decision, oldest first. */
  async pending(
    tx: EntityManager,
    orgId: string,
    roomId: string,
    now = new Date(),
  ): Promise<WaitingEntryEntity[]> {
    const rows = await tx.getRepository(WaitingEntryEntity).find({
      where: { orgId, roomId, status: 'pending' },
      order: { requestedAt: 'ASC' },
      take: 1000,
    });
    return rows.filter((e) => statusAt(e, now) === 'pending');
  }
}
