import { EventEmitter } from 'events';
import { Logger } from '@nestjs/common';
import { createInbox, NatsConnection, Subscription } from 'nats';
import { CommandClient } from '@confer/bus';
import {
  CloseRecorderSession,
  OpenRecorderSession,
  parseWith,
  RecorderConsume,
  RecorderRelease,
  RecorderRequestKeyFrame,
  RecorderRoster,
  RecorderRosterSchema,
  RenewRecorderSession,
} from '@confer/contracts';
import type { MediaFeed } from '../compositor/media-feed.port';

export interface RoomMediaTarget {
  orgId: string;
  roomId: string;
  recordingId: string;
}

export interface RoomMediaSessionOptions {
  /** Between attempts to open a session while the room has no media anywhere. */
  retryMs?: number;
  /** Renewal period; the media server's lease is 10 s by default. */
  renewMs?: number;
  /** How long a command to the media service may take. */
  timeoutMs?: number;
}

/**
 * A recording's link to the media server carrying its room: opens a recorder session there
 * (retrying while the room has no media, e.g. empty for a moment during auto-recording), keeps
 * it renewed, and re-opens it when it is lost (room closed and back, media server restarted).
 * Emits each roster with a sequence of its own, so one from a new session always supersedes;
 * a lost session is emitted as an empty roster first, so its tiles are let go.
 */
export class RoomMediaSession extends EventEmitter<{ roster: [RecorderRoster] }> implements MediaFeed {
  private readonly logger = new Logger(RoomMediaSession.name);
  private readonly feedSubject = createInbox();
  private readonly subscription: Subscription;
  private sessionId?: string;
  private seq = 0;
  private mediaSeq = -1;
  private closed = false;
  private failedRenewals = 0;
  private opening?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private renewTimer?: NodeJS.Timeout;
  /** Consumers by id, with the session they belong to: one of a lost session is gone already. */
  private readonly consumers = new Map<string, string>();
  private readonly o: Required<RoomMediaSessionOptions>;

  constructor(
    nc: NatsConnection,
    private readonly commands: CommandClient,
    private readonly target: RoomMediaTarget,
    options: RoomMediaSessionOptions = {},
  ) {
    super();
    this.o = { retryMs: 1000, renewMs: 3000, timeoutMs: 1500, ...options };
    this.subscription = nc.subscribe(this.feedSubject, {
      callback: (error, msg) => {
        if (error) return;
        try {
          this.received(parseWith(RecorderRosterSchema, msg.json(), 'recorder roster'));
        } catch (problem) {
          this.logger.warn({ message: 'malformed roster ignored', error: String(problem) });
        }
      },
    });
  }

  /** The latest roster, as emitted. */
  roster: RecorderRoster = { sessionId: '', seq: 0, open: false, peers: [] };

  get connected(): boolean {
    return this.sessionId !== undefined;
  }

  /** Starts trying to open a session; resolves after the first attempt (connected or not). */
  start(): Promise<void> {
    this.renewTimer = setInterval(() => void this.renew(), this.o.renewMs);
    this.renewTimer.unref();
    return this.open();
  }

  async consume(
    producerId: string,
    target: { ip: string; port: number; rtcpPort: number },
    tileHeight?: number,
  ) {
    const sessionId = this.requireSession();
    const reply = await this.commands.request(
      RecorderConsume,
      { sessionId, producerId, ...target, ...(tileHeight ? { tileHeight } : {}) },
      { timeoutMs: this.o.timeoutMs },
    );
    this.consumers.set(reply.consumerId, sessionId);
    return reply;
  }

  async requestKeyFrame(consumerId: string): Promise<void> {
    const sessionId = this.consumers.get(consumerId);
    if (sessionId !== this.sessionId || !sessionId) return;
    await this.commands.request(
      RecorderRequestKeyFrame,
      { sessionId, consumerId },
      { timeoutMs: this.o.timeoutMs },
    );
  }

  async release(consumerId: string): Promise<void> {
    const sessionId = this.consumers.get(consumerId);
    this.consumers.delete(consumerId);
    // A consumer of a lost session went with it.
    if (sessionId !== this.sessionId || !sessionId) return;
    await this.commands
      .request(RecorderRelease, { sessionId, consumerId }, { timeoutMs: this.o.timeoutMs })
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.renewTimer);
    const sessionId = this.sessionId;
    this.sessionId = undefined;
    this.subscription.unsubscribe();
    if (sessionId)
      await this.commands
        .request(CloseRecorderSession, { sessionId }, { timeoutMs: this.o.timeoutMs })
        .catch(() => undefined);
  }

  private requireSession(): string {
    if (!this.sessionId) throw new Error('the room has no media session now');
    return this.sessionId;
  }

  private open(): Promise<void> {
    this.opening ??= this.tryOpen().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async tryOpen(): Promise<void> {
    if (this.closed || this.sessionId) return;
    try {
      const { sessionId, roster } = await this.commands.request(
        OpenRecorderSession,
        { ...this.target, feedSubject: this.feedSubject },
        { timeoutMs: this.o.timeoutMs },
      );
      if (this.closed) {
        await this.commands.request(CloseRecorderSession, { sessionId }).catch(() => undefined);
        return;
      }
      this.sessionId = sessionId;
      this.mediaSeq = -1;
      this.logger.log({ message: 'recorder session open', ...this.target, sessionId });
      this.received(roster);
    } catch {
      // Nobody carries the room's media now: try again shortly.
      this.retryLater();
    }
  }

  private retryLater(): void {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.open(), this.o.retryMs);
    this.retryTimer.unref();
  }

  private received(roster: RecorderRoster): void {
    if (this.closed || roster.sessionId !== this.sessionId || roster.seq <= this.mediaSeq) return;
    this.mediaSeq = roster.seq;
    if (!roster.open) {
      this.lost();
      return;
    }
    this.emitRoster({ ...roster });
  }

  private async renew(): Promise<void> {
    const sessionId = this.sessionId;
    if (!sessionId) return;
    try {
      await this.commands.request(RenewRecorderSession, { sessionId }, { timeoutMs: this.o.timeoutMs });
      this.failedRenewals = 0;
    } catch {
      // One slow answer is no loss (the media server's lease is several renewals long).
      if (this.sessionId === sessionId && ++this.failedRenewals >= 2) this.lost();
    }
  }

  /** The session ended under us: draw the room empty, and look for its media again. */
  private lost(): void {
    this.logger.log({ message: 'recorder session lost', ...this.target, sessionId: this.sessionId });
    const previous = this.sessionId;
    this.failedRenewals = 0;
    // Closed if it still lives, so its consumers stop sending to ports this side lets go of.
    if (previous)
      void this.commands
        .request(CloseRecorderSession, { sessionId: previous }, { timeoutMs: this.o.timeoutMs })
        .catch(() => undefined);
    this.sessionId = undefined;
    this.emitRoster({ sessionId: '', seq: 0, open: false, peers: [] });
    this.retryLater();
  }

  private emitRoster(roster: RecorderRoster): void {
    this.roster = { ...roster, seq: ++this.seq };
    this.emit('roster', this.roster);
  }
}
