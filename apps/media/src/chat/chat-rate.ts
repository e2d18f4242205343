/**
 * A token bucket per peer: a burst of `burst` messages, then `perSecond`. Chat goes to
 * every peer of the room, so one flooding client would otherwise cost everyone.
 */
export class ChatRate {
  #tokens: number;
  #at: number;

  constructor(
    private readonly burst = 10,
    private readonly perSecond = 2,
    private readonly now: () => number = Date.now,
  ) {
    this.#tokens = burst;
    this.#at = now();
  }

  take(): boolean {
    const now = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
