import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('writes items submitted together in one batch, bounded by the maximum', async () => {
    const writes: number[][] = [];
    const batcher = new MicroBatcher<number>(async (items) => void writes.push(items), 3);
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)));
    expect(writes).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('retries a failed batch item by item, failing only the bad item', async () => {
    const written: number[] = [];
    const batcher = new MicroBatcher<number>(async (items) => {
      if (items.includes(2)) throw new Error('bad item');
      written.push(...items);
    }, 10);
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(written).toEqual([1, 3]);
  });

  it('keeps working after a batch', async () => {
    const writes: number[][] = [];
    const batcher = new MicroBatcher<number>(async (items) => void writes.push(items), 10);
    await batcher.submit(1);
    await batcher.submit(2);
    expect(writes).toEqual([[1], [2]]);
  });
});
