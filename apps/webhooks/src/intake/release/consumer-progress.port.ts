/**
 * How far the intake's durable consumer has got: the stream sequence below which every
 * event it filters has been acknowledged (by any replica), so none can still arrive.
 */
export interface ConsumerProgress {
  ackFloor(): Promise<number>;
}

export const CONSUMER_PROGRESS = Symbol('CONSUMER_PROGRESS');
