import { Injectable } from '@nestjs/common';

/** One endpoint's deliveries of one room (or of no room, `_`): sent in order, one at a time. */
export interface LaneRef {
  target: string;
  lane: string;
}

export const laneKey = (l: LaneRef) => `${l.target}\n${l.lane}`;

/**
 * Lets the intake wake this process's delivery worker at once instead of at its next poll,
 * naming the lanes that got deliveries when it knows them (a lane already running here
 * takes them itself).
 */
@Injectable()
export class DeliveryWakeup {
  #listener?: (lanes?: readonly LaneRef[]) => void;

  onWake(listener: (lanes?: readonly LaneRef[]) => void): void {
    this.#listener = listener;
  }

  /** New due deliveries: in these lanes, or anywhere when not said. */
  wake(lanes?: readonly LaneRef[]): void {
    this.#listener?.(lanes);
  }
}
