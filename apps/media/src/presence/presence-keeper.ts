import { Logger } from '@nestjs/common';
import { Peer, ROOMS_DECIDED_REASONS } from '../peers/peer';
import type { PeerAdmissionListener } from '../signaling/requests/join-room';
import { RoomsPresence } from './rooms-presence.port';

/** Heartbeats in flight at once, so a big server does not open thousands of requests together. */
const CONCURRENCY = 32;

/**
 * Keeps this server's peers present in the rooms service: a peer seated here (its
 * socket open, or within its reconnect grace) is heartbeated; a peer that closes for a
 * reason the rooms service did not decide (left, lost, its worker died) is taken out
 * there, so everyone hears a clean `peer.left`. A heartbeat answered "gone" closes the
 * peer here with the rooms service's reason.
 */
export class PresenceKeeper implements PeerAdmissionListener {
  readonly #logger = new Logger(PresenceKeeper.name);
  readonly #peers = new Set<Peer>();
  readonly #leaving = new Set<Promise<void>>();
  #timer?: NodeJS.Timeout;
  /** The round under way: a tick while one runs is skipped, so slow answers cannot pile rounds up. */
  #round?: Promise<void>;

  constructor(
    private readonly presence: RoomsPresence,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.#timer = setInterval(() => this.#tick(), this.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  get tracked(): number {
    return this.#peers.size;
  }

  admitted(peer: Peer): void {
    this.#peers.add(peer);
    peer.once('close', (reason) => {
      this.#peers.delete(peer);
      if (ROOMS_DECIDED_REASONS.has(reason)) return;
      const leaving = this.presence
        .leave(peer.grant)
        .catch((error: unknown) =>
          this.#logger.warn({
            msg: 'could not tell rooms a peer left',
            peer: peer.id,
            room: peer.grant.room,
            error: String(error),
          }),
        )
        .finally(() => this.#leaving.delete(leaving));
      this.#leaving.add(leaving);
    });
  }

  #tick(): void {
    if (this.#round) {
      this.#logger.warn({
        msg: 'heartbeat round still running; tick skipped',
        peers: this.#peers.size,
        intervalMs: this.intervalMs,
      });
      return;
    }
    this.#round = this.beat().finally(() => (this.#round = undefined));
  }

  /** One round of heartbeats for every tracked peer. */
  async beat(): Promise<void> {
    const peers = [...this.#peers];
    for (let i = 0; i < peers.length; i += CONCURRENCY) {
      await Promise.all(peers.slice(i, i + CONCURRENCY).map((peer) => this.#beatOne(peer)));
    }
  }

  async #beatOne(peer: Peer): Promise<void> {
    try {
      const answer = await this.presence.heartbeat(peer.grant);
      if (answer.present || peer.closed) return;
      peer.notify('sessionClosed', { reason: answer.reason });
      peer.close(answer.reason);
    } catch (error) {
      // Rooms unreachable for a moment: the next round tries again, well within its timeout.
      this.#logger.warn({
        msg: 'heartbeat failed',
        peer: peer.id,
        room: peer.grant.room,
        error: String(error),
      });
    }
  }

  /** Waits (bounded) for the leaves in flight: before the process exits, everyone should have left cleanly. */
  async flush(timeoutMs = 3000): Promise<void> {
    await Promise.race([
      Promise.allSettled([...this.#leaving]),
      new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }
}
