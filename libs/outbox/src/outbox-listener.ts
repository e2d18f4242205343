import { Logger } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';
import { describe } from './outbox.errors';

const logger = new Logger('Outbox');

export interface OutboxListenerOptions {
  connection: ClientConfig;
  channel: string;
  /** Called per notification, and once after every (re)connection. */
  onNotify: () => void;
  /** Delay before reconnecting a lost connection. Default 1000 ms. */
  reconnectDelayMs?: number;
}

/**
 * LISTENs on the outbox channel over a dedicated connection (a pooled one would be handed to
 * other queries, and LISTEN is per session). Losing it only costs latency, since the relay
 * also polls: it reconnects in the background and never fails the app.
 */
export class OutboxListener {
  readonly #options: OutboxListenerOptions;
  #client?: Client;
  /** The client being connected; its failure schedules the retry. */
  #connecting?: Client;
  #reconnectTimer?: NodeJS.Timeout;
  #closed = false;

  private constructor(options: OutboxListenerOptions) {
    this.#options = options;
  }

  /** Resolves once listening, or once the first attempt failed (a retry is then scheduled). */
  static async create(options: OutboxListenerOptions): Promise<OutboxListener> {
    const listener = new OutboxListener(options);
    await listener.#connect();
    return listener;
  }

  get listening(): boolean {
    return this.#client !== undefined;
  }

  /** Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    const clients = [this.#client, this.#connecting];
    this.#client = this.#connecting = undefined;
    await Promise.all(clients.map((client) => client?.end().catch(() => undefined)));
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const { connection, channel, onNotify } = this.#options;
    const client = new Client({ ...connection, application_name: 'confer-outbox-listener' });
    client.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('connection ended')));
    this.#connecting = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (error) {
      this.#lost(client, error);
      return;
    }
    if (this.#closed) return;
    this.#connecting = undefined;
    this.#client = client;
    // Whatever was notified while we were not listening is lost: look once.
    onNotify();
  }

  #lost(client: Client, error: unknown): void {
    // A broken client reports through both 'error' and 'end', and a failed connect also
    // rejects: act once per client, and only for the one we rely on.
    if (this.#closed || (client !== this.#client && client !== this.#connecting)) return;
    this.#client = this.#connecting = undefined;
    client.end().catch(() => undefined);
    logger.warn({
      message: 'outbox LISTEN connection lost; polling until it is back',
      channel: this.#options.channel,
      error: describe(error),
    });
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#connect();
    }, this.#options.reconnectDelayMs ?? 1000);
  }
}
