import { performance } from 'node:perf_hooks';

/**
 * Calls `onFrame(n)` for frame n at start + n/frameRate, measured from one start time
 * so that timer lateness never accumulates: a late wake-up produces every frame that is
 * due (the encoder counts frames, so each missing one would shorten the recording).
 * Past `maxCatchUpFrames` behind (the event loop stalled for seconds) it gives up on
 * the oldest of those frames and counts them in `framesSkipped`.
 */
export class FrameClock {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private startedAt = 0;
  private next = 0;
  private skipped = 0;

  constructor(
    private readonly frameRate: number,
    private readonly onFrame: (index: number) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly maxCatchUpFrames = frameRate * 5,
  ) {}

  /** Frames handed to onFrame so far. */
  get framesProduced(): number {
    return this.next;
  }

  get framesSkipped(): number {
    return this.skipped;
  }

  start(): void {
    this.startedAt = this.now();
    this.running = true;
    this.wake();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private due(index: number): number {
    return this.startedAt + ((index + this.skipped) * 1000) / this.frameRate;
  }

  private readonly wake = (): void => {
    this.timer = null;
    const now = this.now();
    // Frames due by now that are not produced yet (the next one included).
    const behind = Math.floor(((now - this.due(this.next)) * this.frameRate) / 1000) + 1;
    if (behind > this.maxCatchUpFrames) this.skipped += behind - this.maxCatchUpFrames;
    while (this.running && this.due(this.next) <= now) this.onFrame(this.next++);
    if (!this.running) return;
    this.timer = setTimeout(this.wake, Math.max(0, this.due(this.next) - this.now()));
  };
}
