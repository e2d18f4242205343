import type { types } from 'mediasoup';
import { MediaErrors } from '../media.errors';
import type { ConsumerAppData } from '../peers/peer';
import type { JoinedContext, JoinedHandlers } from '../signaling/requests/joined-handlers';
import { DEFAULT_MAX_HEIGHT, spatialLayerFor } from './tile-layers';

function consumerOf({ peer }: JoinedContext, consumerId: string): types.Consumer<ConsumerAppData> {
  const consumer = peer.consumer(consumerId);
  if (!consumer) throw MediaErrors.consumerNotFound({ consumerId });
  return consumer;
}

/**
 * A consumer is paused on the server while its viewer paused it, hides its tile, or
 * does not listen to its interpretation channel; it flows again only when none holds.
 */
export async function applyConsumerPause(consumer: types.Consumer<ConsumerAppData>): Promise<void> {
  const hold =
    consumer.appData.clientPaused || consumer.appData.hidden || consumer.appData.channelMuted === true;
  if (hold && !consumer.paused) await consumer.pause();
  else if (!hold && consumer.paused) await consumer.resume();
}

/** Layer choice by the viewer: explicit layers, or the size of the tile that shows the video. */
export const consumerLayerRequests: Pick<
  JoinedHandlers,
  'setConsumerPreferredLayers' | 'setConsumerTileSize' | 'pauseConsumer'
> = {
  async setConsumerPreferredLayers(context, { consumerId, spatialLayer, temporalLayer }) {
    const consumer = consumerOf(context, consumerId);
    if (consumer.type !== 'simulcast' && consumer.type !== 'svc')
      throw MediaErrors.invalidMessage(undefined, { message: 'This consumer has no layers to choose from' });
    await consumer.setPreferredLayers({ spatialLayer, temporalLayer });
    return {};
  },

  async setConsumerTileSize(context, { consumerId, width, height, visible }) {
    const consumer = consumerOf(context, consumerId);
    const hidden = visible === false || width === 0 || height === 0;
    consumer.appData.hidden = hidden;
    let spatialLayer: number | undefined;
    if (!hidden && (consumer.type === 'simulcast' || consumer.type === 'svc')) {
      const producer = context.room.peers
        .map((p) => p.producer(consumer.producerId))
        .find((p) => p !== undefined);
      if (producer) {
        spatialLayer = spatialLayerFor(
          {
            encodings: producer.rtpParameters.encodings ?? [],
            maxHeight: producer.appData.maxHeight ?? DEFAULT_MAX_HEIGHT,
          },
          { width, height },
        );
        await consumer.setPreferredLayers({ spatialLayer });
      }
    }
    await applyConsumerPause(consumer);
    return { ...(spatialLayer !== undefined ? { spatialLayer } : {}), hidden };
  },

  async pauseConsumer(context, { consumerId }) {
    const consumer = consumerOf(context, consumerId);
    consumer.appData.clientPaused = true;
    await applyConsumerPause(consumer);
    return {};
  },
};
