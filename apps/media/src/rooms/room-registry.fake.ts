import { EventEmitter } from 'events';
import type { types } from 'mediasoup';
import type { RegisteredRoom, WorkerChooser } from './room-registry';

/** A room without mediasoup: records the worker it was put on. */
export class FakeRoom extends EventEmitter<{ close: [] }> implements RegisteredRoom {
  closed = false;

  constructor(
    readonly key: string,
    readonly worker: types.Worker,
  ) {
    super();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
}

/** Hands out named stand-in workers in turn. */
export class FakeWorkerChooser implements WorkerChooser {
  chosen = 0;

  leastLoaded(): types.Worker {
    return { pid: ++this.chosen } as types.Worker;
  }
}
