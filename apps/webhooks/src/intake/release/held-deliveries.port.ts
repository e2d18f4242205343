import type { LaneRef } from '../../delivery/delivery-wakeup';

/** Deliveries recorded but not yet numbered, waiting for the ack floor to pass their event. */
export interface HeldDeliveries {
  /**
   * Numbers and releases, in stream order per endpoint and room, every held delivery whose
   * event's stream sequence is at most `floor`; answers the lanes (endpoint and room) that
   * got deliveries, once each.
   */
  releaseUpTo(floor: number): Promise<LaneRef[]>;
}

export const HELD_DELIVERIES = Symbol('HELD_DELIVERIES');
