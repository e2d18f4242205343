import {
  expiresAt,
  judgeTicket,
  mustWait,
  newTicket,
  statusAt,
  ticketHash,
  ticketMatches,
  WAITING_TTL_MS,
  WaitingState,
} from './waiting-policy';

const t0 = new Date('2025-01-01T10:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);
const entry = (status: WaitingState['status'], decidedAt: Date | null = null): WaitingState => ({
  peerId: 'ana',
  status,
  requestedAt: t0,
  decidedAt,
});

describe('waiting room policy', () => {
  it('holds back those who cannot moderate, with the live choice over the attributes', () => {
    expect(mustWait(null, true, false)).toBe(true);
    expect(mustWait(null, undefined, false)).toBe(false);
    expect(mustWait(false, true, false)).toBe(false);
    expect(mustWait(true, false, false)).toBe(true);
    expect(mustWait(true, true, true)).toBe(false);
  });

  it('lets a pending request lapse, and an admission hold, for the waiting time', () => {
    expect(expiresAt(entry('pending'))).toEqual(later(WAITING_TTL_MS));
    expect(statusAt(entry('pending'), later(WAITING_TTL_MS - 1))).toBe('pending');
    expect(statusAt(entry('pending'), later(WAITING_TTL_MS))).toBe('expired');
    const admitted = entry('admitted', later(60_000));
    expect(statusAt(admitted, later(WAITING_TTL_MS))).toBe('admitted');
    expect(statusAt(admitted, later(WAITING_TTL_MS + 60_000))).toBe('expired');
    expect(statusAt(entry('rejected', t0), later(10 * WAITING_TTL_MS))).toBe('rejected');
  });

  it('judges a ticket by its entry, its peer id and the time', () => {
    const now = later(1000);
    expect(judgeTicket(null, 'ana', now)).toBe('invalid');
    expect(judgeTicket(entry('admitted', now), 'bob', now)).toBe('invalid');
    expect(judgeTicket(entry('admitted', now), 'ana', now)).toBe('pass');
    expect(judgeTicket(entry('pending'), 'ana', now)).toBe('wait');
    expect(judgeTicket(entry('rejected', now), 'ana', now)).toBe('rejected');
    expect(judgeTicket(entry('pending'), 'ana', later(WAITING_TTL_MS))).toBe('start_over');
  });

  it('keeps only a hash of the ticket, and compares it in constant time', () => {
    const ticket = newTicket();
    expect(ticket).toMatch(/^wt_[A-Za-z0-9_-]{32}$/);
    expect(ticketMatches(ticket, ticketHash(ticket))).toBe(true);
    expect(ticketMatches(newTicket(), ticketHash(ticket))).toBe(false);
  });
});
