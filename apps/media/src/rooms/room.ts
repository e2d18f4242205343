import { EventEmitter } from 'events';
import type { types } from 'mediasoup';
import type { SignalingNotification, SignalingNotificationOf } from '@confer/contracts';
import { LanguageChannels } from '../interpretation/language-channels';
import { applyListening } from '../interpretation/listening';
import type { Peer, ProducerAppData } from '../peers/peer';
import { MEDIA_CODECS } from './media-codecs';
import { SpeakerRate } from './speaker-rate';

export interface ActiveSpeaker {
  peerId: string;
  producerId: string;
}

export interface RoomOptions {
  /** At most one active-speaker change per this many ms (default 1000). */
  activeSpeakerMinIntervalMs?: number;
  /** How long a language stays selectable after its last interpreter left (default 30 s). */
  interpreterLingerMs?: number;
}

/**
 * A live room on this server: one router on one worker, and the peers joined to it.
 * Made by `Room.create()`; closes once (its router closing, or the last peer leaving)
 * and then emits `close`.
 */
export class Room extends EventEmitter<{
  close: [];
  activeSpeaker: [speaker: ActiveSpeaker];
  /** A notification went to the room's peers (whoever they are): what they see changed. */
  told: [notification: SignalingNotification, data: unknown];
}> {
  readonly key: string;
  readonly #router: types.Router;
  readonly #speakers: types.ActiveSpeakerObserver;
  readonly #levels: types.AudioLevelObserver;
  readonly #speakerRate: SpeakerRate<ActiveSpeaker>;
  readonly #peers = new Map<string, Peer>();
  /** Interpretation channels: the languages interpreters speak here. */
  readonly languages: LanguageChannels;
  /** True while a recorder records the room (set by the recorder sessions; peers are told). */
  recording = false;
  #activeSpeaker?: ActiveSpeaker;
  #closed = false;

  private constructor(
    key: string,
    router: types.Router,
    speakers: types.ActiveSpeakerObserver,
    levels: types.AudioLevelObserver,
    options: RoomOptions,
  ) {
    super();
    this.key = key;
    this.#router = router;
    this.#speakers = speakers;
    this.#levels = levels;
    const peerOf = (producer: types.Producer) => (producer.appData as { peerId?: string }).peerId ?? '';
    levels.on('volumes', (volumes) =>
      this.broadcast('audioLevels', {
        levels: volumes.map(({ producer, volume }) => ({
          peerId: peerOf(producer),
          producerId: producer.id,
          volume,
        })),
      }),
    );
    levels.on('silence', () => this.broadcast('audioLevels', { levels: [] }));
    this.languages = new LanguageChannels(options.interpreterLingerMs ?? 30_000);
    this.languages.on('change', (languages) => this.broadcast('interpretationLanguages', { languages }));
    this.languages.on('expired', (language) => {
      for (const peer of this.#peers.values()) {
        if (peer.listening.language !== language) continue;
        peer.listening = { language: null, muteOriginal: false };
        peer.notify('interpretationChanged', { ...peer.listening, reason: 'language no longer available' });
        void applyListening(peer, (id) => this.findProducer(id)).catch(() => undefined);
      }
    });
    this.#speakerRate = new SpeakerRate(options.activeSpeakerMinIntervalMs ?? 1000, (speaker) => {
      this.#activeSpeaker = speaker;
      this.broadcast('activeSpeaker', speaker);
      this.emit('activeSpeaker', speaker);
    });
    speakers.on('dominantspeaker', ({ producer }) => {
      const peerId = (producer.appData as { peerId?: string }).peerId;
      if (peerId && !this.#closed) this.#speakerRate.offer({ peerId, producerId: producer.id });
    });
  }

  static async create(key: string, worker: types.Worker, options: RoomOptions = {}): Promise<Room> {
    const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { room: key } });
    // Dominant speaker by audio level (RFC 6464 header extension), over a few hundred ms.
    const speakers = await router.createActiveSpeakerObserver({ interval: 300 });
    // Levels for the clients' speaking indicators: the loudest ten above -70 dBov, each second.
    const levels = await router.createAudioLevelObserver({ maxEntries: 10, threshold: -70, interval: 1000 });
    const room = new Room(key, router, speakers, levels, options);
    // The worker died or the router was closed under us: the room is gone.
    router.observer.once('close', () => room.close());
    return room;
  }

  /** Any peer's producer of this room. */
  findProducer(producerId: string): types.Producer<ProducerAppData> | undefined {
    for (const peer of this.#peers.values()) {
      const producer = peer.producer(producerId);
      if (producer) return producer;
    }
    return undefined;
  }

  /** A microphone joins the dominant-speaker contest (mediasoup drops it when it closes). */
  async observeSpeaker(producer: types.Producer): Promise<void> {
    if (this.#closed || producer.closed) return;
    await Promise.all([
      this.#speakers.addProducer({ producerId: producer.id }),
      this.#levels.addProducer({ producerId: producer.id }),
    ]);
  }

  /** The latest dominant speaker announced, while that peer is still here. */
  get activeSpeaker(): ActiveSpeaker | undefined {
    const speaker = this.#activeSpeaker;
    return speaker && this.#peers.has(speaker.peerId) ? speaker : undefined;
  }

  get router(): types.Router {
    return this.#router;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get peers(): Peer[] {
    return [...this.#peers.values()];
  }

  /** The peers connected to this node (not those of other nodes shown here, see `Peer.homeNode`). */
  get localPeers(): Peer[] {
    return this.peers.filter((peer) => peer.homeNode === undefined);
  }

  peer(id: string): Peer | undefined {
    return this.#peers.get(id);
  }

  /**
   * Seats a peer; an earlier connection of the same peer id is closed as replaced.
   * When the peer closes, the others hear that it left, and an empty room closes.
   */
  admit(peer: Peer): void {
    if (this.#closed) throw new Error(`room ${this.key} is closed`);
    const replaced = this.#peers.get(peer.id);
    // Seated first, so the replaced connection's closing is not taken for the peer leaving.
    this.#peers.set(peer.id, peer);
    if (replaced) {
      replaced.notify('sessionClosed', { reason: 'replaced' });
      replaced.close('replaced');
    }
    this.broadcast('peerJoined', peer.info, peer);
    peer.once('close', (reason) => {
      if (this.#peers.get(peer.id) !== peer) return;
      this.#peers.delete(peer.id);
      this.broadcast('peerLeft', { peerId: peer.id, reason }, peer);
      // Peers of other nodes (a spanned room) are shown for this node's own: alone, they close with it.
      if (this.localPeers.length === 0) this.close();
    });
  }

  /**
   * Tells every peer but `except`. Every change of the room that peers see goes through
   * here, so it is also told (`told`) to those who follow the room without being peers.
   */
  broadcast<N extends SignalingNotification>(
    notification: N,
    data: SignalingNotificationOf<N>,
    except?: Peer,
  ): void {
    for (const peer of this.#peers.values()) if (peer !== except) peer.notify(notification, data);
    this.emit('told', notification, data);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of [...this.#peers.values()]) {
      peer.notify('sessionClosed', { reason: 'room closed' });
      peer.close('room closed');
    }
    this.#peers.clear();
    this.#speakerRate.close();
    this.languages.close();
    this.#router.close();
    this.emit('close');
  }
}
