import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes what arrives during a write in the next one, and resolves each add after its write', async () => {
    const writes: number[][] = [];
    let release!: () => void;
    const commit = new GroupCommit<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((r) => (release = r));
    });
    const first = commit.add(1);
    const later = [commit.add(2), commit.add(3)];
    release();
    await Promise.all([first, ...later]);
    expect(writes).toEqual([[1], [2, 3]]);
  });

  it('rejects the adds of a failed write only', async () => {
    let fail = true;
    const commit = new GroupCommit<number>(async () => {
      if (fail) {
        fail = false;
        throw new Error('down');
      }
    });
    await expect(commit.add(1)).rejects.toThrow('down');
    await expect(commit.add(2)).resolves.toBeUndefined();
  });
});
