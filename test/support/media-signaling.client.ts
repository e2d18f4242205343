import { WebSocket } from 'ws';
import type {
  SignalingError,
  SignalingMethod,
  SignalingNotification,
  SignalingNotificationOf,
  SignalingPayloadOf,
  SignalingReplyOf,
} from '@confer/contracts';

/** A refusal from the media service, with its stable code. */
export class SignalingRefusal extends Error {
  constructor(readonly error: SignalingError) {
    super(`${error.code}: ${error.message}`);
  }
}

interface Received {
  notification: SignalingNotification;
  data: unknown;
}

/** A test's end of the signaling protocol: typed requests, and every notification kept. */
export class SignalingTestClient {
  readonly notifications: Received[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  readonly #waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as {
        id?: number | null;
        ok?: boolean;
        data?: unknown;
        error?: SignalingError;
        notification?: SignalingNotification;
      };
      if (message.notification) {
        this.notifications.push({ notification: message.notification, data: message.data });
        for (const wake of this.#waiters) wake();
        return;
      }
      const pending = this.#pending.get(message.id ?? -1);
      if (!pending) return;
      this.#pending.delete(message.id ?? -1);
      if (message.ok) pending.resolve(message.data);
      else pending.reject(new SignalingRefusal(message.error!));
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => {
        for (const { reject } of this.#pending.values()) reject(new Error(`socket closed (${code})`));
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  static async connect(url: string): Promise<SignalingTestClient> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new SignalingTestClient(socket);
  }

  request<M extends SignalingMethod>(method: M, data: SignalingPayloadOf<M>): Promise<SignalingReplyOf<M>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, data }));
    });
  }

  /** Sends anything, for tests of malformed input; resolves with the raw answer. */
  sendRaw(text: string): Promise<unknown> {
    return new Promise((resolve) => {
      this.socket.once('message', (raw) => resolve(JSON.parse(raw.toString())));
      this.socket.send(text);
    });
  }

  /** The first notification N matching `where`, waiting up to `timeoutMs` for it. */
  async next<N extends SignalingNotification>(
    notification: N,
    where: (data: SignalingNotificationOf<N>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<SignalingNotificationOf<N>> {
    const find = () =>
      this.notifications.find(
        (n) => n.notification === notification && where(n.data as SignalingNotificationOf<N>),
      )?.data as SignalingNotificationOf<N> | undefined;
    const found = find();
    if (found) return found;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(`no ${notification} notification within ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = () => {
        const hit = find();
        if (!hit) return;
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve(hit);
      };
      this.#waiters.add(wake);
    });
  }

  close(): void {
    this.socket.close();
  }
}
