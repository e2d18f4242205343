/**
 * A small time-bounded memo for key lookups: spares the database and the decryption on
 * every token, while a change made on another replica is seen within `ttlMs`.
 * Misses (undefined) are cached too, so a flood of tokens with made-up key ids costs
 * one query per id and period, not one per token.
 */
export class ShortLivedCache<V> {
  readonly #entries = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const at = this.now();
    const hit = this.#entries.get(key);
    if (hit && hit.until > at) return hit.value;
    const value = await load();
    // Crude but bounded: clearing everything is cheap and only costs re-reads.
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(key, { value, until: at + this.ttlMs });
    return value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Forgets every entry whose key matches (e.g. the per-organisation lists). */
  deleteWhere(matches: (key: string) => boolean): void {
    for (const key of this.#entries.keys()) if (matches(key)) this.#entries.delete(key);
  }
}
