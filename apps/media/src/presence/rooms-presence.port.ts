import type { JoinGrant } from '../grants/join-grant';

/** The rooms service's answer to a heartbeat: present, or gone and why (kicked, replaced, …). */
export type PresenceAnswer = { present: true } | { present: false; reason: string };

/** Port: the rooms service's presence of one connection (the grant's `connection`). */
export abstract class RoomsPresence {
  abstract heartbeat(grant: JoinGrant): Promise<PresenceAnswer>;
  /** The peer left on its own (or this server lost it); idempotent. */
  abstract leave(grant: JoinGrant): Promise<void>;
}
