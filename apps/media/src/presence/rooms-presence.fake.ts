import type { JoinGrant } from '../grants/join-grant';
import { PresenceAnswer, RoomsPresence } from './rooms-presence.port';

/** The rooms service's presence in memory: connections present until told otherwise. */
export class FakeRoomsPresence extends RoomsPresence {
  readonly heartbeats: string[] = [];
  readonly leaves: string[] = [];
  /** Connections the rooms service took out, with why. */
  readonly gone = new Map<string, string>();
  unreachable = false;
  /** Heartbeats asked and not yet answered, and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;
  #held?: Promise<void>;

  /** A slow rooms service: heartbeats wait unanswered until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.#held = new Promise((resolve) => (release = resolve));
    return () => {
      this.#held = undefined;
      release();
    };
  }

  async heartbeat(grant: JoinGrant): Promise<PresenceAnswer> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.#held;
      if (this.unreachable) throw new Error('rooms unreachable');
      this.heartbeats.push(grant.connection);
      const reason = this.gone.get(grant.connection);
      return reason ? { present: false, reason } : { present: true };
    } finally {
      this.inFlight--;
    }
  }

  async leave(grant: JoinGrant): Promise<void> {
    this.leaves.push(grant.connection);
    this.gone.set(grant.connection, 'left');
  }
}
