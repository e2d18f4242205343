import { Inject, Injectable } from '@nestjs/common';
import { BUS_OPTIONS, NATS_CONNECTION, ResolvedBusOptions } from '@confer/bus';
import type { JetStreamManager, NatsConnection } from 'nats';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../../config/webhooks.config';
import { ConsumerProgress } from './consumer-progress.port';

/** The ack floor as the JetStream server keeps it for the webhooks' durable consumer. */
@Injectable()
export class JetStreamConsumerProgress implements ConsumerProgress {
  #jsm?: Promise<JetStreamManager>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(BUS_OPTIONS) private readonly bus: ResolvedBusOptions,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
  ) {}

  async ackFloor(): Promise<number> {
    this.#jsm ??= this.nc.jetstreamManager();
    const jsm = await this.#jsm;
    const info = await jsm.consumers.info(this.bus.streams.events.name, this.config.WEBHOOKS_CONSUMER);
    return info.ack_floor.stream_seq;
  }
}
