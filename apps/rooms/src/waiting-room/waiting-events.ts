import { buildEvent, WaitingAdmitted, WaitingRejected, WaitingRequested } from '@confer/contracts';
import type { WaitingEntryEntity } from './waiting-entry.entity';

const SOURCE = '/confer/rooms';

const waitingPeer = (entry: WaitingEntryEntity, conferenceNumber: string | null) => ({
  roomId: entry.roomId,
  ...(conferenceNumber ? { conferenceNumber } : {}),
  peerId: entry.peerId,
  ...(entry.displayName ? { displayName: entry.displayName } : {}),
});

/** Event ids derive from the entry: a retried transaction cannot announce twice. */
const envelope = (entry: WaitingEntryEntity, type: string) => ({
  source: SOURCE,
  orgId: entry.orgId,
  roomId: entry.roomId,
  id: `${type}:${entry.id}`,
  subject: `rooms/${entry.roomId}/waiting/${entry.id}`,
});

export function waitingRequestedEvent(entry: WaitingEntryEntity) {
  return buildEvent(WaitingRequested, {
    ...envelope(entry, 'waiting.requested'),
    data: { ...waitingPeer(entry, entry.conferenceNumber), requestedAt: entry.requestedAt.toISOString() },
  });
}

/** `conferenceNumber` of the live room now, which may be a later life than the one the joiner asked in. */
export function waitingAdmittedEvent(entry: WaitingEntryEntity, conferenceNumber: string | null) {
  return buildEvent(WaitingAdmitted, {
    ...envelope(entry, 'waiting.admitted'),
    data: { ...waitingPeer(entry, conferenceNumber), by: entry.decidedBy ?? '' },
  });
}

export function waitingRejectedEvent(entry: WaitingEntryEntity, conferenceNumber: string | null) {
  return buildEvent(WaitingRejected, {
    ...envelope(entry, 'waiting.rejected'),
    data: { ...waitingPeer(entry, conferenceNumber), by: entry.decidedBy ?? '' },
  });
}
