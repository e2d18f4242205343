import { IntakeBatcher } from './intake-batcher';

describe('IntakeBatcher', () => {
  it('records what arrives while a batch is being written together, in arrival order', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const batcher = new IntakeBatcher<number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await first;
      },
      async () => undefined,
      100,
    );
    const done = [batcher.add(1), batcher.add(2), batcher.add(3)];
    // 1 is in flight alone; 2 and 3 wait for it and then go together.
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all(done);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('splits the queue into batches of at most maxBatch', async () => {
    const batches: number[][] = [];
    const batcher = new IntakeBatcher<number>(
      async (items) => void batches.push(items),
      async () => undefined,
      2,
    );
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.add(n)));
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('after a failed batch, records its items one by one so only the bad one fails', async () => {
    const alone: number[] = [];
    let calls = 0;
    const batcher = new IntakeBatcher<number>(
      async (items) => {
        calls++;
        if (calls > 1 && items.includes(13)) throw new Error('batch failed');
      },
      async (item) => {
        if (item === 13) throw new Error(`bad ${item}`);
        alone.push(item);
      },
      100,
    );
    const results = await Promise.allSettled([0, 12, 13, 14].map((n) => batcher.add(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toEqual(new Error('bad 13'));
    expect(alone).toEqual([12, 14]);
  });

  it('a failed batch of one fails without a second attempt', async () => {
    let single = 0;
    const batcher = new IntakeBatcher<number>(
      async () => {
        throw new Error('down');
      },
      async () => {
        single++;
      },
      100,
    );
    await expect(batcher.add(1)).rejects.toThrow('down');
    expect(single).toBe(0);
  });
});
