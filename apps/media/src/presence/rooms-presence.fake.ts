import type { JoinGrant } from '../grants/join-grant';
import { PresenceAnswer, RoomsPresence } from './rooms-presence.port';

/** The rooms service's presence in memory: connections present until told otherwise. */
export class FakeRoomsPresence extends RoomsPresence {
  readonly heartbeats: string[] = [];
  readonly leaves: string[] = [];
  /** Connections the rooms service took out, with why. */
  readonly gone = new Map<string, string>();
  unreachable = false;

  async heartbeat(grant: JoinGrant): Promise<PresenceAnswer> {
    if (this.unreachable) throw new Error('rooms unreachable');
    this.heartbeats.push(grant.connection);
    const reason = this.gone.get(grant.connection);
    return reason ? { present: false, reason } : { present: true };
  }

  async leave(grant: JoinGrant): Promise<void> {
    this.leaves.push(grant.connection);
    this.gone.set(grant.connection, 'left');
  }
}
