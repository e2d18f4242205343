/** One message of the events stream: its subject, raw body and place in the stream. */
export interface RoomsEventMessage {
  subject: string;
  data: Uint8Array;
  /** The stream sequence, so a new subscription can go on after the last one seen. */
  sequence: number;
}

/** A live reading of one subject filter; its messages end (or throw) when it breaks or is stopped. */
export interface RoomsEventsSubscription {
  /** The first sequence it reads from: where a later one goes on when this one saw nothing. */
  readonly startSequence: number;
  readonly messages: AsyncIterable<RoomsEventMessage>;
  stop(): void;
}

/** Port: the rooms service's events, read by subject filter. */
export abstract class RoomsEventsSource {
  /**
   * Reads the events on `filter` from `startSequence` on, or from now when it is
   * undefined; rejects when the bus cannot be reached.
   */
  abstract subscribe(filter: string, startSequence?: number): Promise<RoomsEventsSubscription>;
}
