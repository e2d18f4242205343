import type { RoutableEvent } from './event-matching';
import { eventTypeOf } from './event-matching';

export interface GcoreCallback {
  target: string;
  body: string;
  /** Gcore's authEvent: sent as the Authorization header. A credential: never logged. */
  authorization?: string;
}

interface PeerData {
  roomId?: unknown;
  peerId?: unknown;
  displayName?: unknown;
  callbacks?: { apiEvent?: unknown; authEvent?: unknown };
}

/**
 * Gcore's per-room webhooks: a peer that joined with `apiEvent` is announced at
 * `{apiEvent}/joinPeer` and `{apiEvent}/closePeer` with the documented bodies.
 */
export function gcoreCallbackFor(event: RoutableEvent): GcoreCallback | undefined {
  const type = eventTypeOf(event.type);
  if (type !== 'peer.joined' && type !== 'peer.left') return undefined;
  const data = (event.data ?? {}) as PeerData;
  const apiEvent = data.callbacks?.apiEvent;
  if (typeof apiEvent !== 'string' || apiEvent.length === 0) return undefined;
  const joined = type === 'peer.joined';
  const body = JSON.stringify({
    event: joined ? 'connected' : 'disconnected',
    roomId: data.roomId,
    peerId: data.peerId,
    displayName: typeof data.displayName === 'string' ? data.displayName : '',
  });
  const authEvent = data.callbacks?.authEvent;
  return {
    target: `${apiEvent.replace(/\/+$/, '')}/${joined ? 'joinPeer' : 'closePeer'}`,
    body,
    ...(typeof authEvent === 'string' && authEvent ? { authorization: authEvent } : {}),
  };
}
