import type { JoinGrant } from '../grants/join-grant';
import { PresenceAnswer, RoomsPresence } from './rooms-presence.port';

const TIMEOUT_MS = 3000;

/**
 * The rooms service's presence API (`POST /v1/rooms/{roomId}/peers/{peerId}/heartbeat`
 * and `…/leave`, by connection id), as the browser would use it without this server.
 */
export class HttpRoomsPresence extends RoomsPresence {
  constructor(private readonly roomsUrl: string) {
    super();
  }

  #url(grant: JoinGrant, action: 'heartbeat' | 'leave'): string {
    const base = this.roomsUrl.replace(/\/+$/, '');
    return `${base}/v1/rooms/${encodeURIComponent(grant.room)}/peers/${encodeURIComponent(grant.peer)}/${action}`;
  }

  #post(grant: JoinGrant, action: 'heartbeat' | 'leave'): Promise<Response> {
    return fetch(this.#url(grant, action), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connectionId: grant.connection }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  }

  async heartbeat(grant: JoinGrant): Promise<PresenceAnswer> {
    const response = await this.#post(grant, 'heartbeat');
    if (response.ok) {
      await response.body?.cancel();
      return { present: true };
    }
    if (response.status === 404) {
      const body = (await response.json().catch(() => ({}))) as {
        error?: { details?: { reason?: unknown } };
      };
      const reason = body.error?.details?.reason;
      return { present: false, reason: typeof reason === 'string' ? reason : 'timed_out' };
    }
    await response.body?.cancel();
    throw new Error(`rooms answered ${response.status} to a heartbeat`);
  }

  async leave(grant: JoinGrant): Promise<void> {
    const response = await this.#post(grant, 'leave');
    await response.body?.cancel();
    // 404: already gone (replaced, removed, timed out), which is what a leave wants.
    if (!response.ok && response.status !== 404)
      throw new Error(`rooms answered ${response.status} to a leave`);
  }
}
