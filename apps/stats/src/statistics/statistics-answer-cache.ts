/** A JSON body ready to send, and the entity tag that names it. */
export interface KeptAnswer {
  body: Buffer;
  etag: string;
}

interface Entry extends KeptAnswer {
  version: string;
  /** Set when the answer holds open sessions: it is then only good until the next bucket. */
  openUntil: number | null;
}

/**
 * Answers of the statistics queries kept per room, period and kind, each with the room's
 * version when it was read (room_versions, bumped with every write of one of its sessions).
 * The version is read before the sessions, so a kept answer is never older than its version;
 * an answer is served again only while the room's version is unchanged and, when it holds
 * open sessions (whose durations grow with time), within the same bucket. Bounded in bytes;
 * the least recently used answers go first.
 */
export class StatisticsAnswerCache {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string, version: string, openUntil: number): KeptAnswer | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || (entry.openUntil !== null && entry.openUntil !== openUntil)) {
      this.#delete(key, entry);
      return undefined;
    }
    // Most recently used last.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, version: string, openUntil: number | null, answer: KeptAnswer): void {
    const { body } = answer;
    if (body.length > this.maxBytes) return;
    const previous = this.#entries.get(key);
    if (previous) this.#delete(key, previous);
    this.#entries.set(key, { ...answer, version, openUntil });
    this.#bytes += body.length;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#delete(oldest, entry);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  #delete(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.body.length;
  }
}
