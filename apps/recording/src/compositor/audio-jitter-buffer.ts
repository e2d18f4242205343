import { AUDIO_CHANNELS, AUDIO_SAMPLE_RATE } from './composite-options';

const BYTES_PER_SAMPLE = 2 * AUDIO_CHANNELS; // s16le, interleaved

/**
 * A few tens of milliseconds of one source's decoded audio between its decoder (which
 * delivers in bursts of 20 ms packets) and the mixer (which takes one video frame's
 * worth on every tick). It starts playing once it holds `startMs`, drops the oldest
 * audio beyond `maxMs` (a sender whose clock runs fast, or a burst after a stall), and
 * plays silence on underrun until it has `startMs` again.
 */
export class AudioJitterBuffer {
  private readonly chunks: Buffer[] = [];
  private head = 0; // bytes already read from chunks[0]
  private bytes = 0;
  private playing = false;
  private readonly startBytes: number;
  private readonly maxBytes: number;
  private leftover: Buffer | null = null; // an odd tail of a pipe read, completed by the next

  constructor(options: { startMs?: number; maxMs?: number } = {}) {
    const bytesPerMs = (AUDIO_SAMPLE_RATE / 1000) * BYTES_PER_SAMPLE;
    this.startBytes = (options.startMs ?? 60) * bytesPerMs;
    this.maxBytes = (options.maxMs ?? 200) * bytesPerMs;
  }

  get bufferedSamples(): number {
    return this.bytes / BYTES_PER_SAMPLE;
  }

  push(chunk: Buffer): void {
    let data = this.leftover ? Buffer.concat([this.leftover, chunk]) : chunk;
    const whole = data.length - (data.length % BYTES_PER_SAMPLE);
    this.leftover = whole < data.length ? Buffer.from(data.subarray(whole)) : null;
    data = data.subarray(0, whole);
    if (data.length === 0) return;
    this.chunks.push(data);
    this.bytes += data.length;
    if (this.bytes > this.maxBytes) this.skip(this.bytes - this.startBytes);
  }

  /**
   * Fills `out` (interleaved samples) with the next audio; silence where there is none.
   * Returns false when it was all silence, so the mixer can skip the source.
   */
  readInto(out: Int16Array): boolean {
    const target = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    if (!this.playing && this.bytes < this.startBytes) {
      target.fill(0);
      return false;
    }
    this.playing = true;
    let written = 0;
    while (written < target.length && this.chunks.length) {
      const chunk = this.chunks[0];
      const n = Math.min(target.length - written, chunk.length - this.head);
      chunk.copy(target, written, this.head, this.head + n);
      written += n;
      this.consume(n);
    }
    if (written < target.length) {
      target.fill(0, written);
      this.playing = false;
    }
    return written > 0;
  }

  private skip(n: number): void {
    while (n > 0 && this.chunks.length) {
      const take = Math.min(n, this.chunks[0].length - this.head);
      this.consume(take);
      n -= take;
    }
  }

  private consume(n: number): void {
    this.head += n;
    this.bytes -= n;
    if (this.head === this.chunks[0].length) {
      this.chunks.shift();
      this.head = 0;
    }
  }
}
