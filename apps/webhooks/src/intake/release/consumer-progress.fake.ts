import { ConsumerProgress } from './consumer-progress.port';

/** An ack floor a unit spec moves by hand. */
export class FakeConsumerProgress implements ConsumerProgress {
  floor = 0;
  calls = 0;

  async ackFloor(): Promise<number> {
    this.calls++;
    return this.floor;
  }
}
