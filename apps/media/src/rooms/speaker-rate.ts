/**
 * Lets at most one active-speaker change through per `minIntervalMs`: a change inside the
 * interval waits for its end, and only the latest one then goes out (people talking over
 * each other must not flood every client and the event stream). The same speaker twice
 * is no change.
 */
export class SpeakerRate<T extends { peerId: string }> {
  #lastAt = -Infinity;
  #current?: string;
  #pending?: T;
  #timer?: NodeJS.Timeout;

  constructor(
    private readonly minIntervalMs: number,
    private readonly emit: (speaker: T) => void,
    private readonly now: () => number = Date.now,
  ) {}

  offer(speaker: T): void {
    const wait = this.#lastAt + this.minIntervalMs - this.now();
    if (wait > 0) {
      this.#pending = speaker;
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        const next = this.#pending;
        this.#pending = undefined;
        if (next) this.offer(next);
      }, wait);
      this.#timer.unref?.();
      return;
    }
    if (speaker.peerId === this.#current) return;
    this.#current = speaker.peerId;
    this.#lastAt = this.now();
    this.emit(speaker);
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#pending = undefined;
  }
}
