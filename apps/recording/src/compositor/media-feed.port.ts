import { RecorderConsume, ReplyOf } from '@confer/contracts';

/** Where the media server must send one consumer's RTP: ports a decoder of ours has bound. */
export interface RtpTarget {
  ip: string;
  port: number;
  rtcpPort: number;
}

export type ConsumeReply = ReplyOf<typeof RecorderConsume>;

/**
 * How the composite asks for media. The recording service implements it with the
 * recorder commands of the media service (its session id hidden inside); tests with
 * synthetic publishers. Every method may reject: the composite retries what it still needs.
 */
export interface MediaFeed {
  /** Starts sending `producerId` as plain RTP to `target`; `tileHeight` picks the simulcast layer. */
  consume(producerId: string, target: RtpTarget, tileHeight?: number): Promise<ConsumeReply>;
  requestKeyFrame(consumerId: string): Promise<void>;
  release(consumerId: string): Promise<void>;
}
