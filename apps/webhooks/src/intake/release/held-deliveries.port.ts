/** Deliveries recorded but not yet numbered, waiting for the ack floor to pass their event. */
export interface HeldDeliveries {
  /**
   * Numbers and releases, in stream order per endpoint and room, every held delivery whose
   * event's stream sequence is at most `floor`; answers how many it released.
   */
  releaseUpTo(floor: number): Promise<number>;
}

export const HELD_DELIVERIES = Symbol('HELD_DELIVERIES');
