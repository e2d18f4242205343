import type { types } from 'mediasoup';
import type { ConsumerAppData, Peer, ProducerAppData } from '../peers/peer';
import { applyConsumerPause } from '../simulcast/consumer-layers.requests';

/**
 * Whether a listener should not receive this producer: an interpreter's channel other
 * than the one it listens to, or the original voices when it listens to a channel with
 * the original muted. Video and screens are never affected.
 */
export function channelMuted(listener: Peer, producer: ProducerAppData, kind: types.MediaKind): boolean {
  if (kind !== 'audio') return false;
  const { language, muteOriginal } = listener.listening;
  if (producer.language) return producer.language !== language;
  return language !== null && muteOriginal;
}

/** Re-applies the listener's choice to every audio consumer it has. */
export async function applyListening(
  listener: Peer,
  producerOf: (producerId: string) => types.Producer<ProducerAppData> | undefined,
): Promise<void> {
  await Promise.all(
    listener.consumers.map(async (consumer: types.Consumer<ConsumerAppData>) => {
      const producer = producerOf(consumer.producerId);
      if (!producer) return;
      consumer.appData.channelMuted = channelMuted(listener, producer.appData, consumer.kind);
      await applyConsumerPause(consumer);
    }),
  );
}
