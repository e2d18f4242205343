import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConsumeReply, MediaFeed } from './media-feed.port';
import { rtpSdp } from './rtp-sdp';
import { RtpPorts, UdpPortPool } from './udp-port-pool';

/**
 * One producer received as plain RTP: a port pair of ours, the media server's consumer
 * sending to it, and the SDP file a decoder reads to understand it. Decoders come and
 * go (restarts, resizes); the consumption outlives them.
 */
export class RtpConsumption {
  private ports: RtpPorts | null = null;
  private reply: ConsumeReply | null = null;

  constructor(
    private readonly feed: MediaFeed,
    private readonly pool: UdpPortPool,
    private readonly listenIp: string,
    readonly producerId: string,
    private readonly sdpPath: string,
  ) {}

  get consumerId(): string | undefined {
    return this.reply?.consumerId;
  }

  get active(): boolean {
    return this.reply !== null;
  }

  /** Asks the media server to send the producer to a fresh port pair; writes the SDP. */
  async open(tileHeight?: number): Promise<void> {
    this.ports ??= await this.pool.allocate();
    const target = { ip: this.listenIp, port: this.ports.rtpPort, rtcpPort: this.ports.rtcpPort };
    this.reply = await this.feed.consume(this.producerId, target, tileHeight);
    await writeFile(this.sdpPath, rtpSdp(this.reply, { ip: this.listenIp, ...this.ports }));
  }

  async requestKeyFrame(): Promise<void> {
    if (this.reply) await this.feed.requestKeyFrame(this.reply.consumerId);
  }

  /** Stops the sending; the ports stay ours for a following open(). */
  async closeConsumer(): Promise<void> {
    const reply = this.reply;
    this.reply = null;
    if (reply) await this.feed.release(reply.consumerId);
  }

  /** Stops the sending and gives everything back. Never rejects. */
  async close(): Promise<Error | null> {
    let failure: Error | null = null;
    try {
      await this.closeConsumer();
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    if (this.ports) this.pool.release(this.ports);
    this.ports = null;
    await unlink(this.sdpPath).catch(() => undefined);
    return failure;
  }
}

export function sdpPathFor(workDir: string, name: string): string {
  return join(workDir, `${name.replace(/[^\w-]/g, '_')}.sdp`);
}
