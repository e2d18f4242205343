import { Type } from '@sinclair/typebox';
import { defineAnnouncement } from './define-announcement';

const Count = Type.Integer({ minimum: 0 });

/**
 * A media node's load, announced every few seconds. The rooms service places new rooms
 * by it and forgets a node it has not heard from for `staleAfterMs`.
 */
export const MediaNodeLoad = defineAnnouncement({
  service: 'media',
  topic: 'node-load',
  version: 1,
  summary: "A media node's identity, state and load, repeated every few seconds",
  schema: Type.Object(
    {
      nodeId: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,128}$', description: 'Unique per media process' }),
      serverGroup: Type.String({
        pattern: '^serv[0-9]+$',
        description: 'The media server group it serves (a room id prefix, from the rooms service list)',
      }),
      url: Type.String({ minLength: 1, maxLength: 2048, description: "Base URL of the node's signaling" }),
      origin: Type.Optional(
        Type.String({
          pattern: '^https?://[^/?#]+$',
          maxLength: 2048,
          description:
            'Where the front door reaches the node inside the network (scheme, host and port), to route /v1/media/nodes/<nodeId>/ to it',
        }),
      ),
      state: Type.Union([Type.Literal('active'), Type.Literal('draining')], {
        description: 'A draining node keeps its rooms and takes no new one',
      }),
      reportedAt: Type.String({ format: 'date-time' }),
      intervalMs: Type.Integer({ minimum: 100, maximum: 60_000, description: 'Time to the next report' }),
      workers: Type.Integer({ minimum: 1 }),
      rooms: Count,
      peers: Count,
      transports: Count,
      producers: Count,
      consumers: Count,
      /** Share of the node's worker cores in use over the last interval, 0 to 1. */
      cpu: Type.Number({ minimum: 0, maximum: 1 }),
      /** Consumers the node is meant to carry in all; placement avoids nodes near it. */
      maxConsumers: Type.Integer({ minimum: 1 }),
      stopping: Type.Optional(
        Type.Boolean({
          description:
            'The last report of a process that is shutting down: forget the node now rather than wait for its reports to stop',
        }),
      ),
    },
    { additionalProperties: true },
  ),
});
