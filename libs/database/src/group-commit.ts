/**
 * Coalesces concurrent writes into one statement: while a flush is in flight, new
 * items queue up and go together in the next one. Under load this turns N inserts
 * (N round trips, N commits) into a few multi-row inserts, with no timer and no
 * added latency when idle. Every caller learns whether its own item was written.
 */
export class GroupCommit<T> {
  #pending: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  #flushing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 256,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (!this.#flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.#flushing = true;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.maxBatch);
      try {
        await this.write(batch.map((p) => p.item));
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.#flushing = false;
  }
}
