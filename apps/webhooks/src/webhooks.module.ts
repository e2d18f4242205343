import { DynamicModule, Global, Module } from '@nestjs/common';
import { BusModule } from '@confer/bus';
import { OutboxModule } from '@confer/outbox';
import { DatabaseModule } from '@confer/database';
import { HttpLifecycleModule } from '@confer/http';
import { TelemetryModule } from '@confer/telemetry';
import { OutboundGuard } from '@confer/outbound';
import { ServerApiAccessModule } from '@confer/auth-client';
import { issuerOf, WEBHOOKS_CONFIG, WebhooksConfig } from './config/webhooks.config';
import { webhooksDatabaseOptions } from './database/webhooks-database';
import { LiveConferences } from './conferences/live-conferences';
import { EndpointPolicy, OUTBOUND_GUARD } from './subscriptions/endpoint-policy';
import { SubscriptionsStore } from './subscriptions/subscriptions.store';
import { EndpointDisabler } from './subscriptions/endpoint-disabling/endpoint-disabler';
import { GlayrAuthorizationGuard } from './subscriptions/glayr/glayr-authorization.guard';
import { CONFERENCE_OWNERS } from './subscriptions/glayr/owners/conference-owners.port';
import { ParticipantTokenOwners } from './subscriptions/glayr/owners/participant-token-owners';
import { GlayrSubscriptionsHttpController } from './subscriptions/glayr/glayr-subscriptions.http.controller';
import { SubscriptionsHttpController } from './subscriptions/native/subscriptions.http.controller';
import { DeliveryLogHttpController } from './delivery-log/delivery-log.http.controller';
import { EventIntake } from './intake/event-intake';
import { DeliveryRelease } from './intake/release/delivery-release';
import { CONSUMER_PROGRESS } from './intake/release/consumer-progress.port';
import { JetStreamConsumerProgress } from './intake/release/jetstream-consumer-progress';
import { HELD_DELIVERIES } from './intake/release/held-deliveries.port';
import { HeldDeliveriesStore } from './intake/release/held-deliveries.store';
import { DeliveriesStore } from './delivery/deliveries.store';
import { DeliveryTokens } from './delivery/delivery-tokens';
import { DeliveryWakeup } from './delivery/delivery-wakeup';
import { ExpirySweep } from './delivery/expiry-sweep';
import { RetentionSweep } from './retention/retention-sweep';
import { DeliveryWorker, WEBHOOK_SENDER } from './delivery/delivery-worker';
import { WebhookSender } from './delivery/webhook-sender';

const httpControllers = [
  GlayrSubscriptionsHttpController,
  SubscriptionsHttpController,
  DeliveryLogHttpController,
];
const useCases = [
  EventIntake,
  DeliveryRelease,
  DeliveryWorker,
  EndpointPolicy,
  EndpointDisabler,
  ExpirySweep,
  RetentionSweep,
];
const stores = [SubscriptionsStore, DeliveriesStore, LiveConferences];
const adapters = [
  DeliveryTokens,
  DeliveryWakeup,
  { provide: CONSUMER_PROGRESS, useClass: JetStreamConsumerProgress },
  { provide: HELD_DELIVERIES, useClass: HeldDeliveriesStore },
];

/** Configuration, outbound policy and server-API access control, available to every module of the service. */
@Global()
@Module({})
class WebhooksCoreModule {
  static forConfig(config: WebhooksConfig): DynamicModule {
    const guard = new OutboundGuard(config.OUTBOUND_ALLOWED_HOSTS.split(','));
    return {
      module: WebhooksCoreModule,
      providers: [
        { provide: WEBHOOKS_CONFIG, useValue: config },
        { provide: OUTBOUND_GUARD, useValue: guard },
        { provide: WEBHOOK_SENDER, useFactory: () => new WebhookSender(guard) },
        { provide: CONFERENCE_OWNERS, useClass: ParticipantTokenOwners },
        GlayrAuthorizationGuard,
      ],
      exports: [WEBHOOKS_CONFIG, OUTBOUND_GUARD, WEBHOOK_SENDER, CONFERENCE_OWNERS, GlayrAuthorizationGuard],
    };
  }
}

/** The webhooks service: subscriptions, durable intake of call events, signed deliveries. */
@Module({})
export class WebhooksModule {
  static forConfig(config: WebhooksConfig): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [
        WebhooksCoreModule.forConfig(config),
        TelemetryModule,
        HttpLifecycleModule,
        DatabaseModule.forRoot(webhooksDatabaseOptions(config.DATABASE_URL, config.WEBHOOKS_DB_SCHEMA)),
        BusModule.forRoot({ service: 'webhooks', url: config.NATS_URL }),
        ServerApiAccessModule.forRoot({
          jwksUrl: config.AUTH_JWKS_URL,
          issuer: issuerOf(config),
          defaultRateLimit: config.DEFAULT_RATE_LIMIT_PER_SECOND,
        }),
        OutboxModule.forRoot(),
      ],
      controllers: httpControllers,
      providers: [...useCases, ...stores, ...adapters],
    };
  }
}
