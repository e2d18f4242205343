import { writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { filterPath, runTool } from './ffmpeg-child';
import { scaleNearest, YuvFrame, yuvFrameBytes } from './yuv-frame';

/** The card's colour, lighter than the canvas so an absent camera reads as a tile. */
export const NAME_CARD_COLOR = 0x3c4043;
/** Cards of a few layouts of a large room; an old one is simply rendered again. */
const MAX_CARDS = 64;

/**
 * Name cards (a peer without camera, the "+N" of a crowded grid): one frame per
 * (name, size), rendered once by ffmpeg's text drawing, so names look exactly like the
 * labels on video tiles, then kept. get() answers null while a card is being rendered.
 */
export class NameCards {
  private readonly cards = new Map<string, YuvFrame | 'rendering'>();
  private readonly standIns = new Map<string, YuvFrame>();
  private counter = 0;

  constructor(
    private readonly ffmpegPath: string,
    private readonly workDir: string,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * The card, or while it is being rendered the same name's card at another size,
   * crudely scaled (a tile that just changed size), or null (the tile shows plain card colour).
   */
  get(label: string, width: number, height: number): YuvFrame | null {
    const key = `${width}x${height}:${label}`;
    const card = this.cards.get(key);
    if (card && card !== 'rendering') {
      // Most recently used last, for the eviction below.
      this.cards.delete(key);
      this.cards.set(key, card);
      return card;
    }
    if (!card) this.startRendering(key, label, width, height);
    return this.standIn(key, label, width, height);
  }

  private startRendering(key: string, label: string, width: number, height: number): void {
    this.cards.set(key, 'rendering');
    void this.render(label, width, height).then(
      (frame) => {
        if (this.cards.get(key) === 'rendering') this.cards.set(key, frame);
        this.standIns.delete(key);
      },
      (error: Error) => this.warn(`name card for ${label}: ${error.message}`),
    );
    while (this.cards.size > MAX_CARDS) this.cards.delete(this.cards.keys().next().value as string);
  }

  private standIn(key: string, label: string, width: number, height: number): YuvFrame | null {
    const made = this.standIns.get(key);
    if (made) return made;
    const other = [...this.cards.entries()].find(
      ([k, c]) => c !== 'rendering' && k.endsWith(`:${label}`),
    )?.[1];
    if (!other || other === 'rendering') return null;
    const scaled = scaleNearest(other, width, height);
    this.standIns.set(key, scaled);
    return scaled;
  }

  private async render(label: string, width: number, height: number): Promise<YuvFrame> {
    const textPath = join(this.workDir, `card-${++this.counter}.txt`);
    await writeFile(textPath, label);
    const fontSize = Math.max(
      14,
      Math.min(64, Math.round(height * 0.1), Math.round((width * 1.6) / Math.max(6, label.length))),
    );
    const color = `0x${NAME_CARD_COLOR.toString(16).padStart(6, '0')}`;
    const args = [
      ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'lavfi'],
      [
        '-i',
        `color=c=${color}:s=${width}x${height}:r=1:d=1,` +
          `drawtext=font=Sans:textfile=${filterPath(textPath)}:expansion=none:fontsize=${fontSize}` +
          ':fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2',
      ],
      ['-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'],
    ].flat();
    try {
      const data = await runTool(this.ffmpegPath, args, 'buffer');
      if (data.length !== yuvFrameBytes(width, height)) throw new Error(`ffmpeg drew ${data.length} bytes`);
      return { width, height, data };
    } finally {
      await unlink(textPath).catch(() => undefined);
    }
  }
}
