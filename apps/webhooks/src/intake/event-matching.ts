import type { Subscription } from '../subscriptions/subscription';

/** What the intake needs of an event to route it. */
export interface RoutableEvent {
  id: string;
  type: string;
  orgid: string;
  roomid?: string;
  data?: unknown;
}

/** `io.confer.peer.joined` → `peer.joined`. */
export const eventTypeOf = (type: string) => type.replace(/^io\.confer\./, '');

/**
 * Whether a subscription wants this event, at `now`. EventIntake's one-statement path
 * applies the same rule in SQL: change both together.
 */
export function subscriptionMatches(subscription: Subscription, event: RoutableEvent, now: Date): boolean {
  if (subscription.status !== 'active' || subscription.orgId !== event.orgid) return false;
  if (subscription.expiresAt && subscription.expiresAt.getTime() <= now.getTime()) return false;
  if (subscription.roomId !== null && subscription.roomId !== event.roomid) return false;
  if (subscription.eventTypes && !subscription.eventTypes.includes(eventTypeOf(event.type))) return false;
  return true;
}

export interface EndpointTarget {
  endpoint: string;
  subscriptionIds: string[];
}

/**
 * The endpoints an event goes to, one entry per endpoint however many subscriptions
 * name it: two valid subscriptions with the same endpoint get the event once.
 */
export function targetsFor(
  subscriptions: readonly Subscription[],
  event: RoutableEvent,
  now: Date,
): EndpointTarget[] {
  const byEndpoint = new Map<string, string[]>();
  for (const subscription of subscriptions) {
    if (!subscriptionMatches(subscription, event, now)) continue;
    const ids = byEndpoint.get(subscription.endpoint) ?? [];
    ids.push(subscription.id);
    byEndpoint.set(subscription.endpoint, ids);
  }
  return [...byEndpoint].map(([endpoint, subscriptionIds]) => ({ endpoint, subscriptionIds }));
}
