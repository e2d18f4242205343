import type { types } from 'mediasoup';
import { MediaErrors } from '../../media.errors';
import type { ProducerAppData } from '../../peers/peer';
import { refuseToProduce } from '../../peers/produce-policy';
import type { JoinedContext, JoinedHandlers } from './joined-handlers';
import { transportOf } from './transport.requests';

function producerOf({ peer }: JoinedContext, producerId: string) {
  const producer = peer.producer(producerId);
  if (!producer) throw MediaErrors.producerNotFound({ producerId });
  return producer;
}

/** Publishing, as far as the grant allows: a viewer produces nothing, others only the kinds granted. */
export const producerRequests: Pick<
  JoinedHandlers,
  'produce' | 'closeProducer' | 'pauseProducer' | 'resumeProducer'
> = {
  async produce(context, { transportId, kind, source, rtpParameters, paused }) {
    const { peer, room } = context;
    const refusal = refuseToProduce(peer.grant.perms, kind, source);
    if (refusal)
      throw MediaErrors.notAllowedToPublish({ role: peer.grant.role, kind, source }, { message: refusal });
    const transport = transportOf(context, transportId);
    if (transport.appData.direction !== 'send') {
      throw MediaErrors.transportNotFound({ transportId }, { message: 'Produce on a send transport' });
    }
    const producer = await transport.produce<ProducerAppData>({
      kind,
      rtpParameters: rtpParameters as unknown as types.RtpParameters,
      paused: paused ?? false,
      appData: { peerId: peer.id, source },
    });
    peer.addProducer(producer);
    producer.observer.once('close', () =>
      room.broadcast('producerClosed', { peerId: peer.id, producerId: producer.id }, peer),
    );
    room.broadcast(
      'producerAdded',
      { peerId: peer.id, producerId: producer.id, kind, source, paused: producer.paused },
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
