import { Logger } from '@nestjs/common';
import { EventContract, SchemaViolation, parseEvent } from '@confer/contracts';
import { Span, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { Consumer, ConsumerMessages, JetStreamClient, JsMsg } from 'nats';
import { backoffFor } from './backoff';
import { describe } from './bus.errors';
import { DeadLetterCause, deadLetterReason, sendToDeadLetters } from './dead-letter';
import { EventContractIndex } from './event-contract-index';
import { ConsumerHandle, EventContext, EventHandler } from './event-consumer.options';
import { decodeJson } from './json';
import { extractTraceContext } from './trace-headers';
import { MessagingAttr, busTracer } from './tracing';

const logger = new Logger('EventConsumer');

const RESTART_DELAY_MS = 1000;

export interface DurableConsumerSpec<Cs extends readonly EventContract[]> {
  stream: string;
  durable: string;
  contracts: Cs;
  handler: EventHandler<Cs>;
  maxDeliver: number;
  backoffMs: readonly number[];
  concurrency: number;
  batchSize: number;
  shutdownTimeoutMs: number;
  /** The server's bound on unacknowledged events; bounded fetches stay under it. */
  maxAckPending?: number;
  /** Set: bounded fetches expiring after this long (see ConsumeOptions.pullExpiresMs). */
  pullExpiresMs?: number;
}

/**
 * One running pull consumer: pulls, validates, runs the handler, and settles every message
 * exactly one way (ack, nak with backoff, or dead-letter then term). Nothing thrown by a
 * handler or found in a body can stop the loop.
 */
export class DurableConsumer<Cs extends readonly EventContract[]> implements ConsumerHandle {
  readonly durable: string;
  private readonly index: EventContractIndex<Cs[number]>;
  private readonly inFlight = new Set<Promise<void>>();
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private stopping = false;
  private stopped?: Promise<void>;

  constructor(
    private readonly js: JetStreamClient,
    private readonly spec: DurableConsumerSpec<Cs>,
  ) {
    this.durable = spec.durable;
    this.index = new EventContractIndex(spec.contracts);
  }

  /** Resolves once pulling has begun; fails if the consumer cannot be bound. */
  async start(): Promise<void> {
    if (this.spec.pullExpiresMs !== undefined) {
      const consumer = await this.js.consumers.get(this.spec.stream, this.durable);
      this.loop = this.runFetches(consumer, this.spec.pullExpiresMs);
      return;
    }
    this.messages = await this.open();
    this.loop = this.run();
  }

  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    // close() settles only once the iterator has drained its buffer, which the loop does
    // quickly while stopping (it hands buffered messages back); so do not await it alone.
    void this.messages?.close().catch(() => undefined);
    const done = this.loop ?? Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.spec.shutdownTimeoutMs);
    });
    const result = await Promise.race([done.then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') {
      logger.warn({
        message: 'consumer stop timed out; in-flight events will be redelivered',
        durable: this.durable,
      });
    }
  }

  private async open(): Promise<ConsumerMessages> {
    const consumer = await this.js.consumers.get(this.spec.stream, this.durable);
    return consumer.consume({ max_messages: this.spec.batchSize });
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const messages = this.messages ?? (this.messages = await this.open());
        for await (const msg of messages) {
          if (this.stopping) {
            // Hand it back at once so another replica need not wait for the ack timeout.
            msg.nak();
            continue;
          }
          await this.admit(msg);
        }
        if (!this.stopping)
          logger.warn({ message: 'consumer stopped delivering; reopening', durable: this.durable });
      } catch (err) {
        logger.error({
          message: 'consumer loop failed; restarting',
          durable: this.durable,
          error: describe(err),
        });
      }
      this.messages = undefined;
      if (!this.stopping) await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
    }
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Pulls in fetches of at most `batchSize`, each with its own inbox and expiry, asking only
   * for what keeps this process's unsettled events within `maxAckPending`: the next fetch
   * goes out when the previous one is complete (or expired) and there is room.
   */
  private async runFetches(consumer: Consumer, expires: number): Promise<void> {
    const limit = Math.max(1, this.spec.maxAckPending ?? this.spec.batchSize);
    const batch = Math.max(1, Math.min(this.spec.batchSize, limit));
    // Below this much room, wait for events to settle rather than send a tiny pull.
    const worthPulling = Math.max(1, Math.floor(batch / 4));
    while (!this.stopping) {
      try {
        const room = limit - this.inFlight.size;
        if (room < worthPulling) {
          await Promise.race(this.inFlight);
          continue;
        }
        const messages = await consumer.fetch({ max_messages: Math.min(batch, room), expires });
        this.messages = messages;
        if (this.stopping) {
          await messages.close();
          break;
        }
        for await (const msg of messages) {
          if (this.stopping) {
            msg.nak();
            continue;
          }
          await this.admit(msg);
        }
      } catch (err) {
        logger.error({
          message: 'consumer fetch failed; retrying',
          durable: this.durable,
          error: describe(err),
        });
        if (!this.stopping) await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
      }
      this.messages = undefined;
    }
    await Promise.allSettled([...this.inFlight]);
  }

  /** Waits for a free slot, then starts the message without awaiting it. */
  private async admit(msg: JsMsg): Promise<void> {
    while (this.inFlight.size >= this.spec.concurrency) await Promise.race(this.inFlight);
    const task = this.process(msg).finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  private async process(msg: JsMsg): Promise<void> {
    const parent = extractTraceContext(msg.headers);
    const info = msg.info;
    const span = busTracer.startSpan(
      `process ${this.durable}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          [MessagingAttr.system]: 'nats',
          [MessagingAttr.operationType]: 'process',
          [MessagingAttr.destination]: msg.subject,
          [MessagingAttr.consumerGroup]: this.durable,
          [MessagingAttr.deliveryCount]: info.deliveryCount,
          [MessagingAttr.streamSequence]: info.streamSequence,
        },
      },
      parent,
    );
    const ctx: EventContext = {
      subject: msg.subject,
      deliveryCount: info.deliveryCount,
      streamSequence: info.streamSequence,
      durable: this.durable,
    };
    try {
      await context.with(trace.setSpan(parent, span), () => this.dispatch(msg, ctx, span));
    } catch (err) {
      // dispatch settles every outcome itself; this is the last guard of the loop.
      logger.error({
        message: 'unexpected failure while settling an event',
        durable: this.durable,
        subject: msg.subject,
        error: describe(err),
      });
    } finally {
      span.end();
    }
  }

  private async dispatch(msg: JsMsg, ctx: EventContext, span: Span): Promise<void> {
    let raw: unknown;
    try {
      raw = decodeJson(msg.data);
    } catch (err) {
      return this.deadLetter(msg, ctx, span, 'malformed_json', describe(err));
    }
    const match = this.index.match(raw);
    if (!match.ok) return this.deadLetter(msg, ctx, span, match.cause, match.detail, match.eventId);
    span.setAttribute(MessagingAttr.messageId, match.eventId ?? '');

    let event;
    try {
      event = parseEvent(match.contract, raw);
    } catch (err) {
      const detail = err instanceof SchemaViolation ? err.message : describe(err);
      return this.deadLetter(msg, ctx, span, 'schema_violation', detail, match.eventId);
    }

    if (ctx.deliveryCount > this.spec.maxDeliver) {
      // The previous attempts ended without an outcome (process died, ack wait passed).
      return this.deadLetter(
        msg,
        ctx,
        span,
        'delivery_limit',
        `delivered ${ctx.deliveryCount} times, limit ${this.spec.maxDeliver}`,
        match.eventId,
      );
    }

    try {
      await this.spec.handler(event, ctx);
    } catch (err) {
      span.recordException(err instanceof Error ? err : new Error(describe(err)));
      span.setStatus({ code: SpanStatusCode.ERROR, message: describe(err) });
      if (ctx.deliveryCount >= this.spec.maxDeliver) {
        logger.error({
          message: 'event handler failed for the last time',
          ...logContext(ctx),
          error: describe(err),
          stack: stackOf(err),
        });
        return this.deadLetter(msg, ctx, span, 'handler_failed', describe(err), match.eventId);
      }
      const delayMs = backoffFor(ctx.deliveryCount, this.spec.backoffMs);
      logger.warn({
        message: 'event handler failed; will retry',
        ...logContext(ctx),
        retryInMs: delayMs,
        error: describe(err),
      });
      msg.nak(delayMs);
      return;
    }
    msg.ack();
  }

  private async deadLetter(
    msg: JsMsg,
    ctx: EventContext,
    span: Span,
    cause: DeadLetterCause,
    detail: string,
    eventId?: string,
  ): Promise<void> {
    const reason = deadLetterReason(cause, detail);
    span.setAttribute('confer.dlq.reason', reason);
    try {
      await sendToDeadLetters(this.js, msg, {
        cause,
        detail,
        durable: this.durable,
        subject: ctx.subject,
        deliveries: ctx.deliveryCount,
        streamSequence: ctx.streamSequence,
        eventId,
        original: msg.headers,
      });
    } catch (err) {
      // Never term an event that is not safely stored elsewhere: retry it later instead.
      const delayMs = backoffFor(Number.MAX_SAFE_INTEGER, this.spec.backoffMs);
      logger.error({
        message: 'dead-lettering failed; will retry',
        ...logContext(ctx),
        reason,
        retryInMs: delayMs,
        error: describe(err),
      });
      msg.nak(delayMs);
      return;
    }
    msg.term();
    logger.warn({ message: 'event dead-lettered', ...logContext(ctx), reason });
  }
}

function logContext(ctx: EventContext) {
  return {
    subject: ctx.subject,
    durable: ctx.durable,
    deliveryCount: ctx.deliveryCount,
    streamSequence: ctx.streamSequence,
  };
}

function stackOf(err: unknown): string | undefined {
  return err instanceof Error ? err.stack : undefined;
}
