import { EventEmitter } from 'events';
import type { types } from 'mediasoup';
import type { MediaSource, SignalingNotification, SignalingNotificationOf } from '@confer/contracts';
import { ChatRate } from '../chat/chat-rate';
import type { GrantPermissions, JoinGrant } from '../grants/join-grant';
import { grantForbidsScreenShare } from './produce-policy';

/** Where a peer's notifications go: its signaling connection. */
export type NotificationSink = <N extends SignalingNotification>(
  notification: N,
  data: SignalingNotificationOf<N>,
) => void;

export interface ProducerAppData extends types.AppData {
  peerId: string;
  source: MediaSource;
  /** An interpreter's audio: the language channel it speaks on. */
  language?: string;
  /** Video: the top layer's height, for choosing layers by tile size. */
  maxHeight?: number;
  /** Set by the server before it closes the producer: why (`moderator`, `permission`, `role`), and who. */
  endReason?: string;
  endedBy?: string;
}
export interface ConsumerAppData extends types.AppData {
  /** The viewer paused it (consumers start so, until resumeConsumer). */
  clientPaused: boolean;
  /** The viewer's tile for it is hidden. */
  hidden: boolean;
  /** An interpretation channel (or the original) the viewer does not listen to. */
  channelMuted?: boolean;
}
export interface TransportAppData extends types.AppData {
  direction: 'send' | 'recv';
  /** A plain RTP transport (MEDIA_PLAIN_INGEST), not WebRTC: nothing to connect, send only. */
  plain?: boolean;
}
/** A peer's transports: WebRTC, or plain RTP for a trusted gateway or synthetic peer. */
export type PeerTransport = types.WebRtcTransport<TransportAppData> | types.PlainTransport<TransportAppData>;

/**
 * Why a peer closed. The rooms service's leave reasons (`kicked`, `replaced`,
 * `timed_out`, `room_closed`) come from its events; the others are this server's.
 */
export type PeerCloseReason = string;

/** Leave reasons the rooms service already knows of: telling it again would be wrong. */
export const ROOMS_DECIDED_REASONS: ReadonlySet<string> = new Set([
  'kicked',
  'replaced',
  'timed_out',
  'room_closed',
]);

/**
 * One peer's media on this server: its transports and, through them, its producers and
 * consumers. Closing the peer closes its transports, which closes everything on them.
 * Its signaling connection may drop and come back (`detach`, `attach`): media keeps
 * flowing meanwhile, and a peer left detached for the grace period closes as `left`.
 * Emits `close` once, with the reason; `handover` when another connection takes it over;
 * `producer` for each producer it adds.
 */
export class Peer extends EventEmitter<{
  close: [reason: PeerCloseReason];
  handover: [previous: NotificationSink];
  producer: [producer: types.Producer<ProducerAppData>];
}> {
  readonly id: string;
  readonly grant: JoinGrant;
  /** Takes the peer back on a new socket (`resume`); secret to its client. */
  resumeToken?: string;
  /** Shown to others: the grant's name, else the client's own (set at join). */
  displayName?: string;
  /** The role now: the grant's, until a moderator changes it. */
  role: string;
  /** What the peer may do now: the grant's permissions, narrowed or widened by moderation. */
  readonly permissions: GrantPermissions;
  /** The client device's capabilities, from join (or a later consume). */
  rtpCapabilities?: types.RtpCapabilities;
  readonly chatRate = new ChatRate();
  /** produce requests under way (see maxBroadcasters). */
  pendingProduces = 0;
  /**
   * A moderator forbade screen sharing (until allowed again, or the peer leaves); a ban
   * from before this connection comes with the grant.
   */
  screenShareForbidden: boolean;
  /** The interpretation channel this peer listens to (null: the original audio). */
  /** As the rooms service last announced (hand.raised / hand.lowered), so late joiners see it too. */
  handRaised = false;
  listening: { language: string | null; muteOriginal: boolean } = { language: null, muteOriginal: false };
  /**
   * Set on a peer of another media node shown here because its room spans both nodes: its
   * producers are pipes from that node, which alone acts on the peer (moderation, leaving).
   */
  homeNode?: string;
  #sink?: NotificationSink;
  #graceTimer?: NodeJS.Timeout;
  readonly #transports = new Map<string, PeerTransport>();
  readonly #producers = new Map<string, types.Producer<ProducerAppData>>();
  readonly #consumers = new Map<string, types.Consumer<ConsumerAppData>>();
  #closed = false;

  constructor(grant: JoinGrant, sink: NotificationSink) {
    super();
    this.id = grant.peer;
    this.grant = grant;
    this.role = grant.role;
    this.displayName = grant.displayName;
    this.permissions = { ...grant.perms };
    this.screenShareForbidden = grantForbidsScreenShare(grant.role, grant.perms);
    this.#sink = sink;
  }

  /** How others see this peer (peers lists, peerJoined). */
  get info(): { peerId: string; role: string; displayName?: string; handRaised?: boolean } {
    return {
      peerId: this.id,
      role: this.role,
      ...(this.displayName ? { displayName: this.displayName } : {}),
      ...(this.handRaised ? { handRaised: true } : {}),
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether a signaling connection carries this peer now. */
  get attached(): boolean {
    return this.#sink !== undefined;
  }

  isAttachedTo(sink: NotificationSink): boolean {
    return this.#sink === sink;
  }

  /** Whether this peer counts as a broadcaster: it sends media, or is about to. */
  get sending(): boolean {
    return this.#producers.size > 0 || this.pendingProduces > 0;
  }

  get producers(): types.Producer<ProducerAppData>[] {
    return [...this.#producers.values()];
  }

  get consumers(): types.Consumer<ConsumerAppData>[] {
    return [...this.#consumers.values()];
  }

  get transports(): PeerTransport[] {
    return [...this.#transports.values()];
  }

  /** Notifications while detached are dropped: a resuming client gets a fresh snapshot. */
  notify: NotificationSink = (notification, data) => {
    if (!this.#closed) this.#sink?.(notification, data);
  };

  /** The signaling connection dropped: keep the media for `graceMs`, then leave. */
  detach(graceMs: number): void {
    if (this.#closed) return;
    this.#sink = undefined;
    clearTimeout(this.#graceTimer);
    if (graceMs <= 0) {
      this.close('left');
      return;
    }
    this.#graceTimer = setTimeout(() => this.close('left'), graceMs);
    this.#graceTimer.unref();
  }

  /** A connection resumes this peer; one still attached is told and handed over. */
  attach(sink: NotificationSink): void {
    clearTimeout(this.#graceTimer);
    const previous = this.#sink;
    this.#sink = sink;
    if (previous && previous !== sink) {
      previous('sessionClosed', { reason: 'resumed' });
      this.emit('handover', previous);
    }
  }

  addTransport(transport: PeerTransport): void {
    this.#transports.set(transport.id, transport);
    // Either kind closes alike; the union's observers merely type their other events apart.
    (transport as types.Transport).observer.once('close', () => this.#transports.delete(transport.id));
  }

  transport(id: string): PeerTransport | undefined {
    return this.#transports.get(id);
  }

  addProducer(producer: types.Producer<ProducerAppData>): void {
    this.#producers.set(producer.id, producer);
    producer.observer.once('close', () => this.#producers.delete(producer.id));
    this.emit('producer', producer);
  }

  producer(id: string): types.Producer<ProducerAppData> | undefined {
    return this.#producers.get(id);
  }

  addConsumer(consumer: types.Consumer<ConsumerAppData>): void {
    this.#consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => this.#consumers.delete(consumer.id));
  }

  consumer(id: string): types.Consumer<ConsumerAppData> | undefined {
    return this.#consumers.get(id);
  }

  close(reason: PeerCloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#graceTimer);
    for (const transport of this.#transports.values()) transport.close();
    this.#transports.clear();
    this.emit('close', reason);
  }
}
