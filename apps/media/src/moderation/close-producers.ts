import type { MediaSource } from '@confer/contracts';
import type { Peer } from '../peers/peer';

/**
 * Closes the peer's producers of these sources on the server (the media stops here,
 * whatever the client does) and tells the peer which and why; the room's other peers
 * hear `producerClosed` as for any producer.
 */
export function closeProducers(
  peer: Peer,
  sources: readonly MediaSource[],
  reason: string,
  by?: string,
): number {
  // A peer of another node (a spanned room): that node closes the producer, and the pipe follows.
  if (peer.homeNode !== undefined) return 0;
  let closed = 0;
  for (const producer of peer.producers) {
    if (!sources.includes(producer.appData.source)) continue;
    producer.appData.endReason = reason;
    if (by) producer.appData.endedBy = by;
    producer.close();
    closed++;
    peer.notify('producerClosedByServer', {
      producerId: producer.id,
      source: producer.appData.source,
      reason,
      ...(by ? { by } : {}),
    });
  }
  return closed;
}
