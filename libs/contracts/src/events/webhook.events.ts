import { Type } from '@sinclair/typebox';
import { defineEvent } from './define-event';

/** Why the webhooks service stopped sending to an endpoint. */
export const WebhookEndpointDisabledReasons = ['failing', 'gone'] as const;

export const WebhookEndpointDisabled = defineEvent({
  type: 'webhook-endpoint.disabled',
  version: 1,
  summary:
    "The webhooks service disabled an organisation's subscriptions to an endpoint: it kept failing for longer than allowed, or answered 410 Gone.",
  data: Type.Object({
    /** The endpoint's URL. */
    endpoint: Type.String(),
    /** The organisation's subscriptions to it that were disabled. */
    subscriptionIds: Type.Array(Type.String()),
    reason: Type.Union(WebhookEndpointDisabledReasons.map((r) => Type.Literal(r))),
    /** Since when every attempt to it failed (reason `failing`). */
    failingSince: Type.Optional(Type.String({ format: 'date-time' })),
    disabledAt: Type.String({ format: 'date-time' }),
  }),
});
