import { join } from 'node:path';
import { AudioSource } from './audio-source';
import { Tile } from './layout';
import { MediaFeed } from './media-feed.port';
import { RtpConsumption, sdpPathFor } from './rtp-consumption';
import { UdpPortPool } from './udp-port-pool';
import { VideoTileSource } from './video-tile-source';

export interface RoomSourcesDeps {
  feed: MediaFeed;
  pool: UdpPortPool;
  ffmpegPath: string;
  listenIp: string;
  workDir: string;
  warn: (message: string) => void;
}

/**
 * The decoders a layout needs: one per video drawn in a tile (sized to it) and one per
 * mixed audio producer. Producers that leave the picture are released at once, so the
 * media server stops sending what nobody draws.
 */
export class RoomSources {
  private readonly videos = new Map<string, VideoTileSource>();
  private readonly audios = new Map<string, AudioSource>();
  private readonly closing = new Set<Promise<void>>();
  private counter = 0;

  constructor(private readonly deps: RoomSourcesDeps) {}

  get videoCount(): number {
    return this.videos.size;
  }

  get audioCount(): number {
    return this.audios.size;
  }

  videoCounters() {
    return [...this.videos.values()].map((v) => ({ producerId: v.producerId, ...v.counters }));
  }

  video(producerId: string): VideoTileSource | undefined {
    return this.videos.get(producerId);
  }

  audioBuffers() {
    return [...this.audios.values()].map((a) => a.buffer);
  }

  apply(tiles: Tile[], audioProducerIds: string[]): void {
    const drawn = new Map(tiles.filter((t) => t.producerId).map((t) => [t.producerId as string, t]));
    for (const [producerId, source] of this.videos) {
      if (!drawn.has(producerId)) this.retire(this.videos, producerId, source);
    }
    for (const [producerId, tile] of drawn) {
      const look = { width: tile.width, height: tile.height, label: tile.label };
      const existing = this.videos.get(producerId);
      if (existing) existing.setLook(look);
      else {
        const name = `v${++this.counter}`;
        this.videos.set(
          producerId,
          new VideoTileSource(
            { ...this.decoderDeps(producerId, name), labelPath: join(this.deps.workDir, `${name}.txt`) },
            look,
          ),
        );
      }
    }
    const mixed = new Set(audioProducerIds);
    for (const [producerId, source] of this.audios) {
      if (!mixed.has(producerId)) this.retire(this.audios, producerId, source);
    }
    for (const producerId of mixed) {
      if (!this.audios.has(producerId)) {
        this.audios.set(producerId, new AudioSource(this.decoderDeps(producerId, `a${++this.counter}`)));
      }
    }
  }

  /** Stops every decoder and releases every consumer. */
  async close(): Promise<void> {
    for (const [id, s] of this.videos) this.retire(this.videos, id, s);
    for (const [id, s] of this.audios) this.retire(this.audios, id, s);
    await Promise.all([...this.closing]);
  }

  private decoderDeps(producerId: string, name: string) {
    const { feed, pool, listenIp, workDir, ffmpegPath, warn } = this.deps;
    const sdpPath = sdpPathFor(workDir, name);
    return {
      consumption: new RtpConsumption(feed, pool, listenIp, producerId, sdpPath),
      ffmpegPath,
      listenIp,
      sdpPath,
      warn,
    };
  }

  private retire<T extends { close(): Promise<void> }>(map: Map<string, T>, id: string, source: T): void {
    map.delete(id);
    const closing = source.close().catch((error: Error) => this.deps.warn(`closing ${id}: ${error.message}`));
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
  }
}
