import type { types } from 'mediasoup';
import { MediaErrors } from '../../media.errors';
import type { ConsumerAppData, Peer, ProducerAppData } from '../../peers/peer';
import { channelMuted } from '../../interpretation/listening';
import { applyConsumerPause } from '../../simulcast/consumer-layers.requests';
import type { Room } from '../../rooms/room';
import { asJson, JoinedHandlers } from './joined-handlers';
import { transportOf } from './transport.requests';

function findProducer(
  room: Room,
  producerId: string,
): { owner: Peer; producer: types.Producer<ProducerAppData> } {
  for (const owner of room.peers) {
    const producer = owner.producer(producerId);
    if (producer) return { owner, producer };
  }
  throw MediaErrors.producerNotFound({ producerId });
}

/** Receiving another peer's producer. Consumers start paused until the client resumes them. */
export const consumerRequests: Pick<JoinedHandlers, 'consume' | 'resumeConsumer'> = {
  async consume(context, { transportId, producerId, rtpCapabilities }) {
    const { peer, room } = context;
    if (!peer.permissions.subscribe) throw MediaErrors.notAllowedToSubscribe({ role: peer.role });
    if (rtpCapabilities) peer.rtpCapabilities = rtpCapabilities as unknown as types.RtpCapabilities;
    const capabilities = peer.rtpCapabilities;
    const { owner, producer } = findProducer(room, producerId);
    if (owner === peer)
      throw MediaErrors.cannotConsume({ producerId }, { message: 'A peer does not consume itself' });
    if (!capabilities || !room.router.canConsume({ producerId, rtpCapabilities: capabilities })) {
      throw MediaErrors.cannotConsume({ producerId });
    }
    const transport = transportOf(context, transportId);
    if (transport.appData.direction !== 'recv') {
      throw MediaErrors.transportNotFound({ transportId }, { message: 'Consume on a recv transport' });
    }
    const consumer = await transport.consume<ConsumerAppData>({
      producerId,
      rtpCapabilities: capabilities,
      paused: true,
      appData: {
        clientPaused: true,
        hidden: false,
        channelMuted: channelMuted(peer, producer.appData, producer.kind),
      },
    });
    peer.addConsumer(consumer);
    consumer.on('layerschange', (layers) =>
      peer.notify('consumerLayersChanged', {
        consumerId: consumer.id,
        ...(layers ? { spatialLayer: layers.spatialLayer, temporalLayer: layers.temporalLayer } : {}),
      }),
    );
    consumer.on('producerclose', () => {
      consumer.close();
      peer.notify('consumerClosed', { consumerId: consumer.id, producerId });
    });
    return {
      consumerId: consumer.id,
      producerId,
      peerId: owner.id,
      kind: consumer.kind,
      source: producer.appData.source,
      ...(producer.appData.language ? { language: producer.appData.language } : {}),
      rtpParameters: asJson(consumer.rtpParameters),
      paused: consumer.paused,
    };
  },

  async resumeConsumer({ peer }, { consumerId }) {
    const consumer = peer.consumer(consumerId);
    if (!consumer) throw MediaErrors.consumerNotFound({ consumerId });
    consumer.appData.clientPaused = false;
    await applyConsumerPause(consumer);
    return {};
  },
};
