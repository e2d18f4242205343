import { readFile } from 'fs/promises';
import { join } from 'path';
import { PLAYLIST_NAME, SEGMENT_FILE } from '../compositor/completed-part';
import { formatPlaylist, HlsPlaylist, parsePlaylist } from '../compositor/hls-playlist';
import { RecordingStorage } from '../storage/recording-storage.port';

export interface SegmentShipperOptions {
  /** How often the part's playlist is read for newly finished segments. */
  pollMs?: number;
  /** Tries of one upload before the part is given up on. */
  attempts?: number;
  /** Before the first retry; doubled before each next one. */
  retryMs?: number;
}

/**
 * Makes a part durable while it is being recorded. Every segment the encoder has finished —
 * the encoder names a segment in its playlist once it is written whole — is kept in the store
 * under the part's file id, one after the other in order, then the playlist so far (so a
 * stored playlist never names a segment the store lacks). If this replica dies, the replica
 * that takes the recording over rebuilds the part from what is in the store.
 *
 * It runs beside the encoder and never in its way: it only reads the files the encoder wrote.
 * An upload that fails is tried again a few times; then the failure is reported once (the
 * runner fails the recording with it) and nothing more is sent.
 */
export class SegmentShipper {
  private readonly shipped: HlsPlaylist['segments'] = [];
  private readonly o: Required<SegmentShipperOptions>;
  private timer?: NodeJS.Timeout;
  private sweeping: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly storage: RecordingStorage,
    private readonly key: string,
    private readonly dir: string,
    private readonly onFailure: (error: unknown) => void,
    options: SegmentShipperOptions = {},
  ) {
    this.o = { pollMs: 500, attempts: 4, retryMs: 500, ...options };
    this.schedule();
  }

  /** Segments kept so far. */
  get segments(): number {
    return this.shipped.length;
  }

  /**
   * Stops looking for segments and waits for an upload under way (without its retries):
   * the part is about to be stored whole, which sends whatever is not kept yet.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.sweeping;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep().then(
        () => this.schedule(),
        (error: unknown) => {
          if (this.stopped) return;
          this.stopped = true;
          this.onFailure(error);
        },
      );
    }, this.o.pollMs);
    this.timer.unref();
  }

  private async sweep(): Promise<void> {
    const text = await readFile(join(this.dir, PLAYLIST_NAME), 'utf8').catch(() => '');
    // Only whole lines: the encoder may be writing the playlist as it is read.
    const named = parsePlaylist(text.slice(0, text.lastIndexOf('\n') + 1)).segments.filter((s) =>
      SEGMENT_FILE.test(s.uri),
    );
    const known = new Set(this.shipped.map((s) => s.uri));
    let added = false;
    for (const segment of named) {
      if (known.has(segment.uri)) continue;
      if (this.stopped) break;
      await this.withRetries(() =>
        this.storage.storeFile(this.key, segment.uri, { path: join(this.dir, segment.uri) }),
      );
      this.shipped.push(segment);
      added = true;
    }
    if (added && !this.stopped) {
      const playlist = formatPlaylist({ segments: this.shipped, ended: false });
      await this.withRetries(() => this.storage.storeFile(this.key, PLAYLIST_NAME, { text: playlist }));
    }
  }

  private async withRetries(upload: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await upload();
      } catch (error) {
        // Once stopped, the part's own storing sends it (and says what is wrong, if anything).
        if (attempt >= this.o.attempts || this.stopped) throw error;
        await new Promise((r) => setTimeout(r, this.o.retryMs * 2 ** (attempt - 1)));
      }
    }
  }
}
