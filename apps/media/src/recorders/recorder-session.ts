import { randomBytes } from 'crypto';
import { EventEmitter } from 'events';
import type { types } from 'mediasoup';
import type {
  ReplyOf,
  RecorderConsume,
  RecorderRoster,
  RequestOf,
  SignalingNotification,
} from '@confer/contracts';
import { MediaErrors } from '../media.errors';
import type { Room } from '../rooms/room';
import { DEFAULT_MAX_HEIGHT, spatialLayerFor } from '../simulcast/tile-layers';
import { recorderRtpCapabilitiesOf } from './recorder-rtp-capabilities';
import { ROSTER_NOTIFICATIONS, rosterPeersOf } from './recorder-roster';

/** Sends a roster to the recorder's feed subject (core NATS: the next roster heals a lost one). */
export type RosterPublisher = (subject: string, roster: RecorderRoster) => void;

export interface RecorderSessionOptions {
  /** The address the plain transports that send to recorders bind to (MEDIA_LISTEN_IP). */
  listenIp: string;
  /** Closed when not renewed for this long (MEDIA_RECORDER_LEASE_SECONDS). */
  leaseMs: number;
  /** A roster goes out this often even when nothing changed, so a lost one is healed. */
  heartbeatMs: number;
}

export type RecorderConsumeRequest = RequestOf<typeof RecorderConsume>;
export type RecorderConsumeReply = ReplyOf<typeof RecorderConsume>;

/** Why a session ended: the recorder closed it, stopped renewing it, or the room closed. */
export type RecorderSessionEnd = 'closed' | 'lease expired' | 'room closed' | 'shutdown';

/** Codec parameters as the contract carries them: strings and numbers only. */
function fmtpOf(parameters: Record<string, unknown> | undefined): Record<string, string | number> {
  const fmtp: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(parameters ?? {}))
    if (typeof value === 'string' || typeof value === 'number') fmtp[name] = value;
  return fmtp;
}

/**
 * One recorder following one room on this server. It is not a peer: the room's peers
 * never see it (only that the room is recorded), and nothing about peers counts it. It
 * is sent the room's roster at every change and every `heartbeatMs`, and each producer
 * it asks for as plain RTP on a transport of its own. Ends when the recorder closes it,
 * stops renewing it, or the room closes (then a last roster says `open: false`); its
 * transports close with it. Emits `close` once, with the reason.
 */
export class RecorderSession extends EventEmitter<{ close: [reason: RecorderSessionEnd] }> {
  readonly id = `rs_${randomBytes(12).toString('base64url')}`;
  readonly #transports = new Map<string, types.PlainTransport>();
  readonly #consumers = new Map<string, types.Consumer>();
  #seq = 0;
  #closed = false;
  #lease?: NodeJS.Timeout;
  readonly #heartbeat: NodeJS.Timeout;
  #pendingRoster?: NodeJS.Immediate;

  constructor(
    readonly room: Room,
    readonly recordingId: string,
    readonly feedSubject: string,
    private readonly publish: RosterPublisher,
    private readonly options: RecorderSessionOptions,
  ) {
    super();
    room.on('told', this.#onTold);
    room.once('close', this.#onRoomClose);
    this.#heartbeat = setInterval(() => this.#send(), options.heartbeatMs);
    this.#heartbeat.unref();
    this.renew();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The room now, with the next sequence number. */
  roster(open = true): RecorderRoster {
    return {
      sessionId: this.id,
      seq: this.#seq++,
      open,
      ...(open ? rosterPeersOf(this.room) : { peers: [] }),
    };
  }

  /** The recorder is alive: the lease starts again. */
  renew(): void {
    if (this.#closed) return;
    clearTimeout(this.#lease);
    this.#lease = setTimeout(() => this.close('lease expired'), this.options.leaseMs);
    this.#lease.unref();
  }

  /**
   * Sends one producer to the recorder's address as plain RTP, RTCP on its own port, on a
   * transport of its own that closes with the consumer (its release, the session, the
   * producer closing). Created paused and resumed once set up, so it starts on a key frame.
   */
  async consume(request: RecorderConsumeRequest): Promise<RecorderConsumeReply> {
    const { producerId, ip, port, rtcpPort, tileHeight } = request;
    const producer = this.room.findProducer(producerId);
    // A language channel is never listed to a recorder, so it is no producer of its either.
    if (!producer || producer.closed || producer.appData.language)
      throw MediaErrors.producerNotFound({ producerId });
    const router = this.room.router;
    const rtpCapabilities = recorderRtpCapabilitiesOf(router);
    if (!router.canConsume({ producerId, rtpCapabilities }))
      throw MediaErrors.cannotConsume({ producerId }, { message: 'A recorder cannot decode that codec' });
    const transport = await router.createPlainTransport({
      listenIp: this.options.listenIp,
      rtcpMux: false,
      comedia: false,
      appData: { recorderSession: this.id },
    });
    let consumer: types.Consumer;
    try {
      await transport.connect({ ip, port, rtcpPort });
      consumer = await transport.consume({ producerId, rtpCapabilities, paused: true });
      if (tileHeight && (consumer.type === 'simulcast' || consumer.type === 'svc')) {
        const spatialLayer = spatialLayerFor(
          {
            encodings: producer.rtpParameters.encodings ?? [],
            maxHeight: producer.appData.maxHeight ?? DEFAULT_MAX_HEIGHT,
          },
          { width: 0, height: tileHeight },
        );
        await consumer.setPreferredLayers({ spatialLayer });
      }
      await consumer.resume();
    } catch (error) {
      transport.close();
      throw error;
    }
    if (this.#closed || consumer.closed) {
      transport.close();
      throw MediaErrors.producerNotFound(
        { producerId },
        { message: 'The producer or the session closed meanwhile' },
      );
    }
    this.#transports.set(consumer.id, transport);
    this.#consumers.set(consumer.id, consumer);
    // The producer closing closes the consumer; either way the transport goes with it.
    consumer.observer.once('close', () => transport.close());
    transport.observer.once('close', () => {
      this.#transports.delete(consumer.id);
      this.#consumers.delete(consumer.id);
      if (!consumer.closed) consumer.close();
    });
    const codec = consumer.rtpParameters.codecs[0];
    return {
      consumerId: consumer.id,
      kind: consumer.kind,
      mimeType: codec.mimeType,
      payloadType: codec.payloadType,
      clockRate: codec.clockRate,
      ...(codec.channels ? { channels: codec.channels } : {}),
      ssrc: consumer.rtpParameters.encodings?.[0]?.ssrc ?? 0,
      parameters: fmtpOf(codec.parameters as Record<string, unknown> | undefined),
    };
  }

  /** What it sends now, one consumer per producer asked for. */
  get consumers(): types.Consumer[] {
    return [...this.#consumers.values()];
  }

  async requestKeyFrame(consumerId: string): Promise<void> {
    const consumer = this.#consumer(consumerId);
    // Its producer closed here already (the roster said so) while the worker's word that the
    // consumer went with it is still on its way: the consumer is gone, not broken.
    const gone = () =>
      consumer.closed || !this.#consumers.has(consumerId) || !this.room.findProducer(consumer.producerId);
    if (gone()) throw MediaErrors.consumerNotFound({ consumerId });
    try {
      await consumer.requestKeyFrame();
    } catch (error) {
      if (gone()) throw MediaErrors.consumerNotFound({ consumerId });
      throw error;
    }
  }

  release(consumerId: string): void {
    this.#consumer(consumerId);
    this.#transports.get(consumerId)?.close();
  }

  close(reason: RecorderSessionEnd): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#lease);
    clearInterval(this.#heartbeat);
    if (this.#pendingRoster) clearImmediate(this.#pendingRoster);
    this.room.off('told', this.#onTold);
    this.room.off('close', this.#onRoomClose);
    for (const transport of [...this.#transports.values()]) transport.close();
    this.emit('close', reason);
  }

  #consumer(consumerId: string): types.Consumer {
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) throw MediaErrors.consumerNotFound({ consumerId });
    return consumer;
  }

  /** A change peers were told of: one roster for all the changes of this turn (a peer leaving closes several producers at once). */
  #onTold = (notification: SignalingNotification): void => {
    if (this.#closed || this.#pendingRoster || !ROSTER_NOTIFICATIONS.has(notification)) return;
    this.#pendingRoster = setImmediate(() => {
      this.#pendingRoster = undefined;
      this.#send();
    });
  };

  #onRoomClose = (): void => {
    if (this.#closed) return;
    if (this.#pendingRoster) clearImmediate(this.#pendingRoster);
    this.#pendingRoster = undefined;
    this.#send(false);
    this.close('room closed');
  };

  #send(open = true): void {
    if (this.#closed) return;
    this.publish(this.feedSubject, this.roster(open));
  }
}
