/**
 * Cuts a decoder's rawvideo byte stream into whole frames. Pipe reads are 64 KiB, far
 * smaller than a frame, so most frames are assembled from several reads.
 */
export class FrameReader {
  private frame: Buffer | null = null;
  private filled = 0;

  constructor(
    private readonly frameBytes: number,
    private readonly onFrame: (frame: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.filled === 0 && chunk.length - offset >= this.frameBytes) {
        // A whole frame in one read: hand out a view, no copy (pipe reads are never reused).
        this.onFrame(chunk.subarray(offset, offset + this.frameBytes));
        offset += this.frameBytes;
        continue;
      }
      this.frame ??= Buffer.allocUnsafe(this.frameBytes);
      const n = Math.min(this.frameBytes - this.filled, chunk.length - offset);
      chunk.copy(this.frame, this.filled, offset, offset + n);
      this.filled += n;
      offset += n;
      if (this.filled === this.frameBytes) {
        const frame = this.frame;
        this.frame = null;
        this.filled = 0;
        this.onFrame(frame);
      }
    }
  }
}
