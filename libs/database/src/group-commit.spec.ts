import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes concurrent items together while a write is in flight', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit<number>(async (items) => {
      batches.push(items);
      await new Promise((r) => setTimeout(r, 5));
    });
    await Promise.all([1, 2, 3, 4, 5].map((n) => group.add(n)));
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('rejects exactly the callers of a failed batch and carries on', async () => {
    let calls = 0;
    const group = new GroupCommit<string>(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 1));
      if (calls === 2) throw new Error('database down');
    });
    const results = await Promise.allSettled(['a', 'b', 'c'].map((s) => group.add(s)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    await expect(group.add('d')).resolves.toBeUndefined();
  });

  it('caps the batch size', async () => {
    const sizes: number[] = [];
    const group = new GroupCommit<number>(async (items) => {
      sizes.push(items.length);
      await new Promise((r) => setTimeout(r, 1));
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => group.add(n)));
    expect(sizes).toEqual([1, 2, 2]);
  });
});
