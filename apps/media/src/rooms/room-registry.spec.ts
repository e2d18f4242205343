import type { types } from 'mediasoup';
import { RoomRegistry } from './room-registry';
import { FakeRoom, FakeWorkerChooser } from './room-registry.fake';

describe('RoomRegistry', () => {
  let workers: FakeWorkerChooser;
  let created: number;
  let registry: RoomRegistry<FakeRoom>;

  beforeEach(() => {
    workers = new FakeWorkerChooser();
    created = 0;
    registry = new RoomRegistry(workers, async (key, worker: types.Worker) => {
      created++;
      await new Promise((r) => setTimeout(r, 5)); // a router takes a moment to make
      return new FakeRoom(key, worker);
    });
  });

  it('makes one room for joiners that arrive together', async () => {
    const rooms = await Promise.all([1, 2, 3].map(() => registry.getOrCreate('org/a')));
    expect(new Set(rooms).size).toBe(1);
    expect(created).toBe(1);
  });

  it('puts each new room on the worker the chooser names', async () => {
    const a = await registry.getOrCreate('org/a');
    const b = await registry.getOrCreate('org/b');
    expect([a.worker.pid, b.worker.pid]).toEqual([1, 2]);
  });

  it('while draining, lets latecomers into its live rooms and starts no new one', async () => {
    const live = await registry.getOrCreate('org/a');
    registry.refuseNewRooms();
    expect(await registry.getOrCreate('org/a')).toBe(live);
    await expect(registry.getOrCreate('org/b')).rejects.toMatchObject({ code: 'draining' });
    expect(created).toBe(1);
  });

  it('forgets a closed room, so the next joiner gets a fresh one', async () => {
    const first = await registry.getOrCreate('org/a');
    first.close();
    expect(registry.size).toBe(0);
    const second = await registry.getOrCreate('org/a');
    expect(second).not.toBe(first);
    expect(created).toBe(2);
  });

  it('lets a failed creation be retried', async () => {
    const failing = new RoomRegistry<FakeRoom>(workers, async () => {
      throw new Error('worker busy');
    });
    await expect(failing.getOrCreate('org/a')).rejects.toThrow('worker busy');
    expect(failing.size).toBe(0);
  });

  it('closes every room on closeAll', async () => {
    const rooms = await Promise.all(['org/a', 'org/b'].map((k) => registry.getOrCreate(k)));
    await registry.closeAll();
    expect(rooms.map((r) => r.closed)).toEqual([true, true]);
  });
});
