import { Logger } from '@nestjs/common';
import type { types } from 'mediasoup';
import type { EventPublisherPort } from '@confer/bus';
import {
  ActiveSpeakerChanged,
  buildEvent,
  EventContract,
  EventDataOf,
  ScreenShareStarted,
  ScreenShareStopped,
  TrackEndReasons,
  TrackPaused,
  TrackPublished,
  TrackResumed,
  TrackUnpublished,
} from '@confer/contracts';
import type { Peer, ProducerAppData } from '../peers/peer';
import type { PeerAdmissionListener } from '../signaling/requests/join-room';
import type { ActiveSpeaker, Room } from '../rooms/room';

const SOURCE = '/confer/media';
type EndReason = (typeof TrackEndReasons)[number];

const endReasonOf = (producer: types.Producer<ProducerAppData>, peer: Peer): EndReason => {
  const given = producer.appData.endReason;
  if (given && (TrackEndReasons as readonly string[]).includes(given)) return given as EndReason;
  return peer.closed ? 'peer_left' : 'closed';
};

/**
 * Announces what happens to the media of this server's peers: track published,
 * unpublished, paused and resumed, screen share started and stopped, and the room's
 * active speaker, on the bus (JetStream) and, for screen shares, to the room's peers
 * (producerAdded/Closed/Paused/Resumed and activeSpeaker are sent where they happen).
 * Publishing never holds up the media: a failure is logged and the call goes on.
 */
export class MediaEventsPublisher implements PeerAdmissionListener {
  readonly #logger = new Logger(MediaEventsPublisher.name);
  readonly #rooms = new WeakSet<Room>();

  constructor(
    private readonly publisher: EventPublisherPort,
    private readonly mediaServer: string,
  ) {}

  admitted(peer: Peer, room: Room): void {
    if (!this.#rooms.has(room)) {
      this.#rooms.add(room);
      room.on('activeSpeaker', (speaker) => this.#activeSpeaker(room, peer, speaker));
    }
    peer.on('producer', (producer) => this.#track(peer, room, producer));
  }

  #track(peer: Peer, room: Room, producer: types.Producer<ProducerAppData>): void {
    const { source, language } = producer.appData;
    const ref = {
      roomId: peer.grant.room,
      conferenceNumber: peer.grant.conferenceNumber,
      peerId: peer.id,
      connectionId: peer.grant.connection,
      trackId: producer.id,
      kind: producer.kind,
      source,
      ...(language ? { language } : {}),
      mediaServer: this.mediaServer,
    };
    const now = () => new Date().toISOString();
    this.#publish(peer, TrackPublished, `track.published:${producer.id}`, {
      ...ref,
      paused: producer.paused,
      publishedAt: now(),
    });
    const screen = source === 'screen';
    const share = {
      roomId: ref.roomId,
      conferenceNumber: ref.conferenceNumber,
      peerId: peer.id,
      connectionId: ref.connectionId,
      trackId: producer.id,
    };
    if (screen) {
      room.broadcast('screenShareStarted', { peerId: peer.id, producerId: producer.id }, peer);
      this.#publish(peer, ScreenShareStarted, `screen-share.started:${producer.id}`, {
        ...share,
        startedAt: now(),
      });
    }
    let changes = 0;
    producer.observer.on('pause', () =>
      this.#publish(peer, TrackPaused, `track.paused:${producer.id}:${++changes}`, { ...ref, at: now() }),
    );
    producer.observer.on('resume', () =>
      this.#publish(peer, TrackResumed, `track.resumed:${producer.id}:${++changes}`, { ...ref, at: now() }),
    );
    producer.observer.once('close', () => {
      const reason = endReasonOf(producer, peer);
      const by = producer.appData.endedBy;
      this.#publish(peer, TrackUnpublished, `track.unpublished:${producer.id}`, {
        ...ref,
        reason,
        ...(by ? { by } : {}),
        unpublishedAt: now(),
      });
      if (!screen) return;
      room.broadcast('screenShareStopped', { peerId: peer.id, producerId: producer.id, reason }, peer);
      this.#publish(peer, ScreenShareStopped, `screen-share.stopped:${producer.id}`, {
        ...share,
        reason,
        stoppedAt: now(),
      });
    });
  }

  #activeSpeaker(room: Room, anyPeer: Peer, { peerId, producerId }: ActiveSpeaker): void {
    const speaker = room.peer(peerId) ?? anyPeer;
    // In a room spanning nodes, a speaker's own node announces it (every node hears every microphone).
    if (speaker.homeNode !== undefined) return;
    this.#publish(speaker, ActiveSpeakerChanged, `active-speaker.changed:${producerId}:${Date.now()}`, {
      roomId: speaker.grant.room,
      conferenceNumber: speaker.grant.conferenceNumber,
      peerId,
      trackId: producerId,
      at: new Date().toISOString(),
    });
  }

  #publish<C extends EventContract>(peer: Peer, contract: C, id: string, data: EventDataOf<C>): void {
    let event;
    try {
      event = buildEvent(contract, {
        source: SOURCE,
        orgId: peer.grant.org,
        roomId: peer.grant.room,
        subject: `rooms/${peer.grant.room}/peers/${peer.id}`,
        id,
        data,
      });
    } catch (error) {
      this.#logger.error({
        msg: 'media event does not match its contract',
        type: contract.type,
        error: String(error),
      });
      return;
    }
    this.publisher.publish(contract, event).catch((error: unknown) =>
      this.#logger.warn({
        msg: 'could not publish a media event',
        type: contract.type,
        room: peer.grant.room,
        peer: peer.id,
        error: String(error),
      }),
    );
  }
}
