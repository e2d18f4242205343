/**
 * Coalesces what the consumer hands over concurrently: while one batch is being recorded,
 * the next events queue up and are recorded together, so the intake's rate is a batch per
 * round trip rather than an event per round trip, with no timer and no added latency when
 * idle. When a batch fails, its items are recorded one by one, so one bad event fails
 * alone (and is retried or dead-lettered alone) instead of taking its batch with it.
 */
export class IntakeBatcher<T> {
  #queue: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  #flushing = false;

  constructor(
    private readonly writeMany: (items: T[]) => Promise<void>,
    private readonly writeOne: (item: T) => Promise<void>,
    private readonly maxBatch: number,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.#flushing = true;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.maxBatch);
      try {
        await this.writeMany(batch.map((p) => p.item));
        for (const p of batch) p.resolve();
      } catch (error) {
        if (batch.length === 1) {
          batch[0].reject(error);
          continue;
        }
        for (const p of batch) {
          try {
            await this.writeOne(p.item);
            p.resolve();
          } catch (alone) {
            p.reject(alone);
          }
        }
      }
    }
    this.#flushing = false;
  }
}
