import type {
  SignalingError,
  SignalingMethod,
  SignalingNotification,
  SignalingNotificationOf,
  SignalingPayloadOf,
  SignalingReplyOf,
} from '@confer/contracts';

/** Version 1 of the protocol lives at this path; a breaking change would be /v2/. */
const SIGNALING_PATH = '/v1/media/ws';

/** A refusal from the media service, with the protocol's stable code. */
export class SignalingRefusal extends Error {
  constructor(readonly error: SignalingError) {
    super(error.message);
  }
}

type NotificationHandler = <N extends SignalingNotification>(
  notification: N,
  data: SignalingNotificationOf<N>,
) => void;

/**
 * The WebSocket URL of the media server a join grant names (`mediaServer.url`). That URL may
 * have a path, kept: behind one public host, the front door reaches each media node under
 * its own prefix (`https://h/v1/media/nodes/n1` → `wss://h/v1/media/nodes/n1/v1/media/ws`).
 */
export function signalingUrl(mediaServerUrl: string, pageOrigin: string): string {
  const url = new URL(mediaServerUrl, pageOrigin);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${SIGNALING_PATH}`;
  url.search = '';
  url.hash = '';
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * The browser's end of the signaling protocol (docs/signaling.md): typed requests
 * answered by id, notifications to one handler, and the close code and reason.
 */
export class SignalingConnection {
  #nextId = 1;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #onNotification: NotificationHandler = () => undefined;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => this.#receive(String(event.data)));
    this.closed = new Promise((resolve) =>
      socket.addEventListener('close', (event) => {
        for (const { reject } of this.#pending.values())
          reject(new Error(`signaling closed (${event.code})`));
        this.#pending.clear();
        resolve({ code: event.code, reason: event.reason });
      }),
    );
  }

  static open(url: string): Promise<SignalingConnection> {
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
      socket.addEventListener('open', () => resolve(new SignalingConnection(socket)), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot reach ${url}`)), { once: true });
    });
  }

  onNotification(handler: NotificationHandler): void {
    this.#onNotification = handler;
  }

  request<M extends SignalingMethod>(method: M, data: SignalingPayloadOf<M>): Promise<SignalingReplyOf<M>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.socket.readyState !== WebSocket.OPEN) return reject(new Error('signaling is not connected'));
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, data }));
    });
  }

  close(): void {
    this.socket.close(1000);
  }

  #receive(text: string): void {
    let message: {
      id?: number | null;
      ok?: boolean;
      data?: unknown;
      error?: SignalingError;
      notification?: SignalingNotification;
    };
    try {
      message = JSON.parse(text);
    } catch {
      console.warn('signaling: an unreadable message was ignored');
      return;
    }
    if (typeof message.notification === 'string') {
      this.#onNotification(message.notification, message.data as never);
      return;
    }
    const pending = typeof message.id === 'number' ? this.#pending.get(message.id) : undefined;
    if (!pending) {
      if (message.ok === false) console.warn('signaling refused a message', message.error);
      return;
    }
    this.#pending.delete(message.id as number);
    if (message.ok) pending.resolve(message.data);
    else pending.reject(new SignalingRefusal(message.error ?? { code: 'unknown', message: 'refused' }));
  }
}
