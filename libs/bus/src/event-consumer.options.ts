import { EventContract, EventOf } from '@confer/contracts';

/** Where a delivered event came from. */
export interface EventContext {
  subject: string;
  /** 1 on the first delivery. */
  deliveryCount: number;
  streamSequence: number;
  durable: string;
}

export type EventHandler<Cs extends readonly EventContract[]> = (
  event: EventOf<Cs[number]>,
  ctx: EventContext,
) => Promise<void>;

export interface ConsumeOptions<Cs extends readonly EventContract[]> {
  /** Durable consumer name, shared by the replicas of a service; also names its dead-letter subject. */
  durable: string;
  /** Subjects to receive (wildcards allowed). Several subjects need NATS server 2.10+. */
  filterSubjects: string[];
  /** The event types and versions this consumer understands; anything else is dead-lettered. */
  contracts: Cs;
  handler: EventHandler<Cs>;
  /** Attempts before a failing event is dead-lettered. Default 5. */
  maxDeliver?: number;
  /** Delay before redelivery after failed attempt n is backoffMs[n-1] (last entry beyond). Default [1000, 5000, 15000, 30000]. */
  backoffMs?: readonly number[];
  /** How long a handler may run before the server redelivers the event elsewhere. Default 30000. */
  ackWaitMs?: number;
  /** Events handled at the same time by this process; 1 keeps the stream order. Default 1. */
  concurrency?: number;
  /**
   * Events pulled ahead of the handler. The ack wait runs from delivery, so keep
   * batchSize × handler time under ackWaitMs. Default 10.
   */
  batchSize?: number;
  /**
   * Where a consumer created for the first time starts. Default 'new': a service deployed
   * for the first time must not replay a week of history into its side effects. Use 'all'
   * for projections that rebuild from what the stream retains. Ignored once the consumer exists.
   */
  deliverPolicy?: 'all' | 'new';
  /** Server-side bound on unacknowledged events across all replicas. Default 1000. */
  maxAckPending?: number;
  /**
   * Pull in bounded fetches that each expire after this long (at least 1000 ms), instead of
   * one long-lived pull subscription. This process then never asks for more than
   * `maxAckPending` unacknowledged events, so the server never reaches that limit (at which
   * NATS 2.9 stops serving waiting pulls promptly and a backlog trickles in); each fetch has
   * an inbox of its own, and a pull left behind by a process that vanished lapses after
   * this long instead of 30 s. Default: unset, one long-lived pull subscription.
   */
  pullExpiresMs?: number;
}

export interface ConsumerHandle {
  readonly durable: string;
  /** Stops pulling, waits for in-flight handlers (bounded) and hands buffered events back to the server. */
  stop(): Promise<void>;
}
