import type { types } from 'mediasoup';
import { MediaErrors } from '../../media.errors';
import type { Peer, ProducerAppData } from '../../peers/peer';
import type { Room } from '../../rooms/room';
import { refuseToProduce } from '../../peers/produce-policy';
import type { JoinedContext, JoinedHandlers } from './joined-handlers';
import { transportOf } from './transport.requests';

function producerOf({ peer }: JoinedContext, producerId: string) {
  const producer = peer.producer(producerId);
  if (!producer) throw MediaErrors.producerNotFound({ producerId });
  return producer;
}

/**
 * maxBroadcasters counts peers that send media: a peer already sending may add
 * sources, a new one waits until someone stops.
 */
function refuseBeyondBroadcasterLimit(peer: Peer, room: Room): void {
  const limit = peer.grant.maxBroadcasters;
  if (limit === undefined || peer.sending) return;
  const sending = room.peers.filter((p) => p.sending).length;
  if (sending >= limit) throw MediaErrors.tooManyBroadcasters({ maxBroadcasters: limit });
}

/**
 * An interpreter's microphone speaks on its language channel (the grant's intLang);
 * an interpreter without a language has no channel to speak on.
 */
function interpretationLanguageOf(peer: Peer, source: string): string | undefined {
  if (peer.role !== 'interpreter' || source !== 'microphone') return undefined;
  if (!peer.grant.intLang)
    throw MediaErrors.notAllowedToPublish(
      { role: peer.role },
      { message: 'An interpreter speaks on a language channel, and this grant names none (intLang)' },
    );
  return peer.grant.intLang;
}

/** Publishing, as far as the grant allows: a viewer produces nothing, others only the kinds granted. */
export const producerRequests: Pick<
  JoinedHandlers,
  'produce' | 'closeProducer' | 'pauseProducer' | 'resumeProducer'
> = {
  async produce(context, { transportId, kind, source, rtpParameters, paused, maxHeight }) {
    const { peer, room } = context;
    const refusal = refuseToProduce(peer.permissions, kind, source);
    if (refusal)
      throw MediaErrors.notAllowedToPublish({ role: peer.role, kind, source }, { message: refusal });
    refuseBeyondBroadcasterLimit(peer, room);
    const language = interpretationLanguageOf(peer, source);
    const transport = transportOf(context, transportId);
    if (transport.appData.direction !== 'send') {
      throw MediaErrors.transportNotFound({ transportId }, { message: 'Produce on a send transport' });
    }
    // Counted as sending while mediasoup makes the producer, so two peers cannot both take the last place.
    peer.pendingProduces++;
    let producer: types.Producer<ProducerAppData>;
    try {
      producer = await transport.produce<ProducerAppData>({
        kind,
        rtpParameters: rtpParameters as unknown as types.RtpParameters,
        paused: paused ?? false,
        appData: {
          peerId: peer.id,
          source,
          ...(maxHeight ? { maxHeight } : {}),
          ...(language ? { language } : {}),
        },
      });
    } finally {
      peer.pendingProduces--;
    }
    // A kick, a moderator's action or a role change may have come while mediasoup made
    // it: they closed the producers the peer had, not this one, so it answers to them here.
    const refusedSince = peer.closed
      ? 'the session ended while the producer was being created'
      : refuseToProduce(peer.permissions, kind, source);
    if (refusedSince) {
      producer.close();
      throw MediaErrors.notAllowedToPublish({ role: peer.role, kind, source }, { message: refusedSince });
    }
    peer.addProducer(producer);
    if (language) {
      // An interpreter's voice is a channel, not a speaker of the meeting.
      room.languages.add(producer.id, language);
      producer.observer.once('close', () => room.languages.remove(producer.id));
    } else if (source === 'microphone') await room.observeSpeaker(producer);
    // Closed meanwhile (it was the peer's, so the peer was told): the others never hear of it.
    if (producer.closed) return { producerId: producer.id };
    producer.observer.once('close', () =>
      room.broadcast('producerClosed', { peerId: peer.id, producerId: producer.id }, peer),
    );
    room.broadcast(
      'producerAdded',
      {
        peerId: peer.id,
        producerId: producer.id,
        kind,
        source,
        paused: producer.paused,
        ...(language ? { language } : {}),
      },
      peer,
    );
    return { producerId: producer.id };
  },

  async closeProducer(context, { producerId }) {
    producerOf(context, producerId).close();
    return {};
  },

  async pauseProducer(context, { producerId }) {
    const producer = producerOf(context, producerId);
    await producer.pause();
    context.room.broadcast('producerPaused', { peerId: context.peer.id, producerId }, context.peer);
    return {};
  },

  async resumeProducer(context, { producerId }) {
    const producer = producerOf(context, producerId);
    await producer.resume();
    context.room.broadcast('producerResumed', { peerId: context.peer.id, producerId }, context.peer);
    return {};
  },
};
