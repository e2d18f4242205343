interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers items submitted while a write is running and writes them together, one write at a
 * time. Each submitter's promise settles with the write that held its item, so an event is
 * acknowledged only once its transaction committed. A failed batch is retried item by item,
 * so one bad event cannot hold back the others.
 */
export class MicroBatcher<T> {
  readonly #queue: Pending<T>[] = [];
  #running = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch: number,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        // Let the consumer hand over the rest of the messages it already holds first.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.maxBatch);
        try {
          await this.write(batch.map((p) => p.item));
          for (const p of batch) p.resolve();
        } catch (error) {
          if (batch.length === 1) batch[0].reject(error);
          else await this.#oneByOne(batch);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #oneByOne(batch: Pending<T>[]): Promise<void> {
    for (const p of batch) {
      try {
        await this.write([p.item]);
        p.resolve();
      } catch (error) {
        p.reject(error);
      }
    }
  }
}
