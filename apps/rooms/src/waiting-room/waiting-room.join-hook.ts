import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RoomSettingsChanged, WaitingRequested } from '@confer/contracts';
import { OutboxWriter } from '@confer/outbox';
import { RoomErrors } from '../rooms.errors';
import { AdmittedJoinContext, JoinContext, JoinDeferral, JoinHook } from '../joins/join-hooks';
import { WaitingEntryEntity } from './waiting-entry.entity';
import { WaitingEntries } from './waiting-entries';
import { waitingRequestedEvent } from './waiting-events';
import { roomSettingsChangedEvent } from './waiting-room-settings';
import {
  expiresAt,
  judgeTicket,
  mustWait,
  newTicket,
  newWaitingId,
  statusAt,
  ticketHash,
} from './waiting-policy';

export interface WaitingDeferral extends JoinDeferral {
  status: 'waiting';
  waitingId: string;
  peerId: string;
  /** Only when a ticket was issued by this join; keep it secret, poll and re-join with it. */
  ticket?: string;
  requestedAt: string;
  expiresAt: string;
  /** Where to poll for the decision (add ?ticket=…). */
  poll: string;
  message: string;
}

/**
 * Holds joiners in the waiting room until a moderator admits or rejects them. A
 * held-back join answers 202 with a ticket; the joiner polls with it, and its next
 * join with the ticket (and the same peerId) passes once admitted.
 */
@Injectable()
export class WaitingRoomJoinHook implements JoinHook {
  constructor(
    private readonly entries: WaitingEntries,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Joiners who do not wait, unless a moderator's token sets the live room's waiting room. */
  passesDirectly(context: JoinContext): boolean {
    if (typeof context.participant?.attributes.waitingRoom === 'boolean' && context.permissions.moderate)
      return false;
    return !mustWait(context.waitingRoom, context.attributes.waitingRoom, context.permissions.moderate);
  }

  async beforeAdmit(tx: EntityManager, context: JoinContext): Promise<WaitingDeferral | void> {
    if (!mustWait(context.waitingRoom, context.attributes.waitingRoom, context.permissions.moderate)) return;
    const repo = tx.getRepository(WaitingEntryEntity);
    const now = new Date();

    const ticket = context.request.waitingTicket;
    if (ticket) {
      const entry = await repo.findOneBy({
        orgId: context.orgId,
        roomId: context.roomId,
        ticketHash: ticketHash(ticket),
      });
      switch (judgeTicket(entry, context.peerId, now)) {
        case 'pass':
          return;
        case 'wait':
          return deferral(entry as WaitingEntryEntity);
        case 'rejected':
          throw RoomErrors.rejectedFromWaitingRoom({ waitingId: entry?.id });
        case 'invalid':
          throw RoomErrors.waitingTicketInvalid({ field: 'waitingTicket' });
        case 'start_over':
          break;
      }
    }

    // One entry per waiting peer id: asking again takes over the wait with a new ticket,
    // as a second connection with the same peer id replaces the first.
    const pending = await repo.findOneBy({
      orgId: context.orgId,
      roomId: context.roomId,
      peerId: context.peerId,
      status: 'pending',
    });
    const fresh = newTicket();
    if (pending && statusAt(pending, now) === 'pending') {
      await repo.update({ id: pending.id }, { ticketHash: ticketHash(fresh) });
      return deferral(pending, fresh);
    }
    if (pending) await repo.update({ id: pending.id }, { status: 'expired' });

    const entry = Object.assign(new WaitingEntryEntity(), {
      id: newWaitingId(),
      orgId: context.orgId,
      roomId: context.roomId,
      peerId: context.peerId,
      displayName: context.participant?.displayName ?? context.request.displayName ?? null,
      status: 'pending' as const,
      conferenceNumber: context.session?.conferenceNumber ?? null,
      ticketHash: ticketHash(fresh),
      requestedAt: now,
      decidedAt: null,
      decidedBy: null,
    });
    await repo.insert(entry);
    await this.outbox.add(tx, WaitingRequested, waitingRequestedEvent(entry));
    return deferral(entry, fresh);
  }

  /**
   * A moderator whose token carries waitingRoom (Gcore's example puts it there)
   * sets the waiting room of the live room, unless a moderator already chose.
   */
  async afterAdmit(tx: EntityManager, context: AdmittedJoinContext): Promise<void> {
    const fromToken = context.participant?.attributes.waitingRoom;
    if (!context.permissions.moderate || typeof fromToken !== 'boolean') return;
    const changed = await this.entries.choose(tx, context.session.id, fromToken, context.peerId, {
      onlyIfUnset: true,
    });
    if (changed)
      await this.outbox.add(
        tx,
        RoomSettingsChanged,
        await roomSettingsChangedEvent(tx, context.session, fromToken, context.peerId),
      );
  }
}

function deferral(entry: WaitingEntryEntity, ticket?: string): WaitingDeferral {
  return {
    status: 'waiting',
    waitingId: entry.id,
    peerId: entry.peerId,
    ...(ticket ? { ticket } : {}),
    requestedAt: entry.requestedAt.toISOString(),
    expiresAt: expiresAt(entry).toISOString(),
    poll: `/v1/rooms/${entry.roomId}/waiting/${entry.id}`,
    message: 'Please wait for confirmation: a moderator will let you in',
  };
}
