/**
 * The rooms service as the page uses it, on the page's own origin: joins, the waiting
 * room, presence, raised hands and moderation. A moderator acts with the secret
 * connectionId its join answered (the service's ActorCredentials).
 */

export interface Permissions {
  publishAudio: boolean;
  publishVideo: boolean;
  shareScreen: boolean;
  subscribe: boolean;
  chat: boolean;
  raiseHand: boolean;
  moderate: boolean;
  record: boolean;
}

export interface Admitted {
  status: 'admitted';
  roomId: string;
  peerId: string;
  connectionId: string;
  displayName: string | null;
  role: string;
  permissions: Permissions;
  settings: Record<string, unknown>;
  mediaServer: { id: string; url: string };
  grant: { token: string; expiresAt: number };
  heartbeat: { path: string; intervalSeconds: number };
}

export interface Waiting {
  status: 'waiting';
  waitingId: string;
  peerId: string;
  ticket?: string;
  poll: string;
  message: string;
}

export interface WaitingEntry {
  waitingId: string;
  peerId: string;
  displayName: string | null;
  status: 'pending' | 'admitted' | 'rejected' | 'expired';
}

export interface ModeratedPeer {
  peerId: string;
  displayName: string | null;
  role: string;
  permissions: Permissions;
  handRaisedAt: string | null;
}

export type PeerAction =
  | 'disable_audio'
  | 'disable_video'
  | 'allow_screen_share'
  | 'forbid_screen_share'
  | 'request_audio'
  | 'request_video'
  | 'request_screen_share'
  | 'lower_hand'
  | 'remove_peer';
export type RoomAction = 'disable_all_audio' | 'disable_all_video';

/** A refusal from the service: its status, stable code and a message for people. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class RoomsApiClient {
  constructor(
    private readonly roomId: string,
    private readonly baseUrl = '',
  ) {}

  join(body: Record<string, unknown>): Promise<Admitted | Waiting> {
    return this.#call('POST', `/v1/rooms/${this.roomId}/joins`, body);
  }

  pollWaiting(waiting: Waiting, ticket: string): Promise<WaitingEntry> {
    return this.#call('GET', `${waiting.poll}?ticket=${encodeURIComponent(ticket)}`);
  }

  leave(admitted: Admitted): Promise<void> {
    return this.#call('POST', this.#peer(admitted.peerId, 'leave'), { connectionId: admitted.connectionId });
  }

  raiseHand(admitted: Admitted, raised: boolean): Promise<{ raised: boolean }> {
    return this.#call('POST', this.#peer(admitted.peerId, raised ? 'hand/raise' : 'hand/lower'), {
      connectionId: admitted.connectionId,
    });
  }

  // --- a moderator's panel ---------------------------------------------------
  waitingList(actor: Admitted): Promise<{ waiting: WaitingEntry[] }> {
    return this.#call('GET', `/v1/rooms/${this.roomId}/waiting`, undefined, actor.connectionId);
  }

  decideWaiting(actor: Admitted, waitingId: string, decision: 'admit' | 'reject'): Promise<WaitingEntry> {
    return this.#call('POST', `/v1/rooms/${this.roomId}/waiting/${waitingId}/${decision}`, {
      connectionId: actor.connectionId,
    });
  }

  setWaitingRoom(actor: Admitted, enabled: boolean): Promise<{ enabled: boolean }> {
    return this.#call('PUT', `/v1/rooms/${this.roomId}/waiting-room`, {
      connectionId: actor.connectionId,
      enabled,
    });
  }

  moderatedPeers(actor: Admitted): Promise<{ peers: ModeratedPeer[] }> {
    return this.#call('GET', `/v1/rooms/${this.roomId}/moderation/peers`, undefined, actor.connectionId);
  }

  moderatePeer(actor: Admitted, peerId: string, action: PeerAction): Promise<unknown> {
    return this.#call('POST', this.#peer(peerId, 'moderation'), { connectionId: actor.connectionId, action });
  }

  moderateRoom(actor: Admitted, action: RoomAction): Promise<unknown> {
    return this.#call('POST', `/v1/rooms/${this.roomId}/moderation`, {
      connectionId: actor.connectionId,
      action,
    });
  }

  #peer(peerId: string, tail: string): string {
    return `/v1/rooms/${this.roomId}/peers/${encodeURIComponent(peerId)}/${tail}`;
  }

  async #call<T>(method: string, path: string, body?: unknown, connectionId?: string): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (connectionId) headers['confer-connection-id'] = connectionId;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (response.status === 204) return undefined as T;
    const payload = (await response.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string; details?: Record<string, unknown> };
    };
    if (!response.ok)
      throw new ApiRefusal(
        response.status,
        payload.error?.code ?? `http_${response.status}`,
        payload.error?.message ?? response.statusText,
        payload.error?.details,
      );
    return payload as T;
  }
}
