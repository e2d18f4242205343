import type { ParticipantRole } from '@confer/contracts';
import { isBroadcaster } from '../joins/roles';

/**
 * Roles a moderator may give during a call. Coviu owners and guests, Datagram hosts and
 * interpreters (who need a language) come only from their tokens.
 */
export const ASSIGNABLE_ROLES = ['participant', 'speaker', 'viewer', 'moderator'] as const;
export type AssignableRole = (typeof ASSIGNABLE_ROLES)[number];

export interface RoomLimits {
  maxBroadcasters?: number;
  maxWatchers?: number;
}

/**
 * The limit a role change would break, or null. Moving between broadcasters (who send
 * media) and watchers changes the counts that maxBroadcasters and maxWatchers bound;
 * `present` counts the live peers of the room other than the one changing.
 */
export function roleChangeLimit(
  from: ParticipantRole,
  to: ParticipantRole,
  present: { broadcasters: number; watchers: number },
  limits: RoomLimits,
): { limit: number; kind: 'broadcasters' | 'watchers' } | null {
  const becomesBroadcaster = isBroadcaster(to);
  if (isBroadcaster(from) === becomesBroadcaster) return null;
  const kind = becomesBroadcaster ? 'broadcasters' : 'watchers';
  const limit = becomesBroadcaster ? limits.maxBroadcasters : limits.maxWatchers;
  if (limit === undefined) return null;
  return present[kind] >= limit ? { limit, kind } : null;
}
