import { createHash, randomBytes, timingSafeEqual } from 'crypto';

export const WaitingStatuses = ['pending', 'admitted', 'rejected', 'expired'] as const;
export type WaitingStatus = (typeof WaitingStatuses)[number];

/** How long a joiner waits for a decision, and how long an admission lets it in. */
export const WAITING_TTL_MS = 10 * 60_000;

export interface WaitingState {
  peerId: string;
  status: WaitingStatus;
  requestedAt: Date;
  decidedAt: Date | null;
}

/**
 * Whether a joiner waits: the moderator's choice for the live room wins over the
 * joiner's attributes (token, prepared settings); those who can moderate never wait.
 */
export function mustWait(
  liveChoice: boolean | null,
  waitingRoomAttribute: unknown,
  canModerate: boolean,
): boolean {
  if (canModerate) return false;
  return liveChoice ?? waitingRoomAttribute === true;
}

/** When a pending request lapses, or an admission stops letting its joiner in. */
export function expiresAt(entry: WaitingState): Date {
  const from = entry.status === 'pending' ? entry.requestedAt : (entry.decidedAt ?? entry.requestedAt);
  return new Date(from.getTime() + WAITING_TTL_MS);
}

/** The status a poll reports: a pending or admitted entry past its time has expired. */
export function statusAt(entry: WaitingState, now: Date): WaitingStatus {
  if ((entry.status === 'pending' || entry.status === 'admitted') && now >= expiresAt(entry))
    return 'expired';
  return entry.status;
}

export type TicketVerdict =
  /** Admitted: the join goes on. */
  | 'pass'
  /** Still waiting under the same entry. */
  | 'wait'
  | 'rejected'
  /** No entry for this ticket, room and peer. */
  | 'invalid'
  /** The ticket's time is over: wait again, as without a ticket. */
  | 'start_over';

/** What a join presenting a waiting ticket gets, given the entry the ticket names. */
export function judgeTicket(entry: WaitingState | null, peerId: string, now: Date): TicketVerdict {
  if (!entry || entry.peerId !== peerId) return 'invalid';
  switch (statusAt(entry, now)) {
    case 'admitted':
      return 'pass';
    case 'pending':
      return 'wait';
    case 'rejected':
      return 'rejected';
    default:
      return 'start_over';
  }
}

export function newWaitingId(): string {
  return `w_${randomBytes(12).toString('base64url')}`;
}

export function newTicket(): string {
  return `wt_${randomBytes(24).toString('base64url')}`;
}

export function ticketHash(ticket: string): string {
  return createHash('sha256').update(ticket).digest('hex');
}

export function ticketMatches(ticket: string, hash: string): boolean {
  const given = Buffer.from(ticketHash(ticket), 'hex');
  const stored = Buffer.from(hash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
