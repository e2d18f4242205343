import type { types } from 'mediasoup';
import { MediaErrors } from '../media.errors';
import type { Room } from './room';

/** Picks the worker a new room's router goes on (the WorkerPool). */
export interface WorkerChooser {
  leastLoaded(): types.Worker;
}

/** What the registry needs of a room: that it closes once and says so. */
export interface RegisteredRoom {
  readonly closed: boolean;
  once(event: 'close', listener: () => void): unknown;
  close(): void;
}

export type RoomFactory<R> = (key: string, worker: types.Worker) => Promise<R>;

/**
 * This server's live rooms. Creation is serialised per room: two first joiners
 * arriving together get the same room and router, never two.
 */
export class RoomRegistry<R extends RegisteredRoom = Room> {
  readonly #rooms = new Map<string, Promise<R>>();
  /** The rooms whose creation finished, for synchronous lookups (events about a room). */
  readonly #ready = new Map<string, R>();
  #refusingNewRooms = false;

  constructor(
    private readonly workers: WorkerChooser,
    private readonly createRoom: RoomFactory<R>,
  ) {}

  /** Room ids are unique within an organisation. */
  static keyOf(org: string, room: string): string {
    return `${org}/${room}`;
  }

  get size(): number {
    return this.#rooms.size;
  }

  async getOrCreate(key: string): Promise<R> {
    const pending = this.#rooms.get(key);
    if (pending) {
      const room = await pending;
      if (!room.closed) return room;
      // Closed between its creation and now: make a fresh one (serialised again).
      if (this.#rooms.get(key) === pending) this.#rooms.delete(key);
      return this.getOrCreate(key);
    }
    // A draining server keeps the calls it has and starts none: the rooms service places
    // new rooms elsewhere, and a latecomer to one of its rooms still gets in.
    if (this.#refusingNewRooms) throw MediaErrors.draining();
    const creating = this.createRoom(key, this.workers.leastLoaded());
    this.#rooms.set(key, creating);
    try {
      const room = await creating;
      this.#ready.set(key, room);
      room.once('close', () => {
        if (this.#rooms.get(key) === creating) this.#rooms.delete(key);
        if (this.#ready.get(key) === room) this.#ready.delete(key);
      });
      return room;
    } catch (error) {
      if (this.#rooms.get(key) === creating) this.#rooms.delete(key);
      throw error;
    }
  }

  /** From now on, only rooms already live here may be joined. */
  refuseNewRooms(): void {
    this.#refusingNewRooms = true;
  }

  /** The live room of that key on this server, if any. */
  find(key: string): R | undefined {
    const room = this.#ready.get(key);
    return room && !room.closed ? room : undefined;
  }

  /** Every live room on this server. */
  get all(): R[] {
    return [...this.#ready.values()].filter((room) => !room.closed);
  }

  async closeAll(): Promise<void> {
    const rooms = await Promise.allSettled([...this.#rooms.values()]);
    for (const r of rooms) if (r.status === 'fulfilled') r.value.close();
    this.#rooms.clear();
    this.#ready.clear();
  }
}
