import { EventEmitter } from 'events';
import type { types } from 'mediasoup';
import type { MediaSource, SignalingNotification, SignalingNotificationOf } from '@confer/contracts';
import { ChatRate } from '../chat/chat-rate';
import type { JoinGrant } from '../grants/join-grant';

/** Where a peer's notifications go: its signaling connection. */
export type NotificationSink = <N extends SignalingNotification>(
  notification: N,
  data: SignalingNotificationOf<N>,
) => void;

export interface ProducerAppData extends types.AppData {
  peerId: string;
  source: MediaSource;
}
export interface TransportAppData extends types.AppData {
  direction: 'send' | 'recv';
}

/**
 * One joined connection's media: its transports and, through them, its producers and
 * consumers. Closing the peer closes its transports, which closes everything on them.
 * Emits `close` once, with the reason.
 */
export class Peer extends EventEmitter<{ close: [reason: string] }> {
  readonly id: string;
  readonly grant: JoinGrant;
  /** The client device's capabilities, from join (or a later consume). */
  rtpCapabilities?: types.RtpCapabilities;
  readonly chatRate = new ChatRate();
  readonly #notify: NotificationSink;
  readonly #transports = new Map<string, types.WebRtcTransport<TransportAppData>>();
  readonly #producers = new Map<string, types.Producer<ProducerAppData>>();
  readonly #consumers = new Map<string, types.Consumer>();
  #closed = false;

  constructor(grant: JoinGrant, notify: NotificationSink) {
    super();
    this.id = grant.peer;
    this.grant = grant;
    this.#notify = notify;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get producers(): types.Producer<ProducerAppData>[] {
    return [...this.#producers.values()];
  }

  notify: NotificationSink = (notification, data) => {
    if (!this.#closed) this.#notify(notification, data);
  };

  addTransport(transport: types.WebRtcTransport<TransportAppData>): void {
    this.#transports.set(transport.id, transport);
    transport.observer.once('close', () => this.#transports.delete(transport.id));
  }

  transport(id: string): types.WebRtcTransport<TransportAppData> | undefined {
    return this.#transports.get(id);
  }

  addProducer(producer: types.Producer<ProducerAppData>): void {
    this.#producers.set(producer.id, producer);
    producer.observer.once('close', () => this.#producers.delete(producer.id));
  }

  producer(id: string): types.Producer<ProducerAppData> | undefined {
    return this.#producers.get(id);
  }

  addConsumer(consumer: types.Consumer): void {
    this.#consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => this.#consumers.delete(consumer.id));
  }

  consumer(id: string): types.Consumer | undefined {
    return this.#consumers.get(id);
  }

  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const transport of this.#transports.values()) transport.close();
    this.#transports.clear();
    this.emit('close', reason);
  }
}
