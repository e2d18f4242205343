import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import {
  CommandContract,
  CommandResult,
  ReplyOf,
  RequestOf,
  SchemaViolation,
  parseWith,
} from '@confer/contracts';
import { Span, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { Msg, NatsConnection, NatsError, Subscription } from 'nats';
import { describe } from './bus.errors';
import { ResolvedBusOptions } from './bus.options';
import { BUS_OPTIONS, NATS_CONNECTION } from './bus.tokens';
import { INVALID_REQUEST, invalidRequest, toCommandFailure } from './command-result';
import { decodeJson, encodeJson } from './json';
import { extractTraceContext } from './trace-headers';
import { MessagingAttr, busTracer } from './tracing';

const logger = new Logger('CommandServer');
const NOT_HELD = Symbol('not held here');

export interface CommandContext {
  subject: string;
}

export type CommandHandler<C extends CommandContract> = (
  request: RequestOf<C>,
  ctx: CommandContext,
) => Promise<ReplyOf<C>>;

export interface HandleOptions {
  /**
   * Every replica receives each request instead of one of a queue group: for commands
   * about something only one replica holds (a media process's rooms). A replica that does
   * not hold it throws `NotHeldHere` and stays silent; the holder's answer is the reply.
   */
  everyReplica?: boolean;
}

/** Thrown by an `everyReplica` handler that does not hold what the request is about: no answer is sent. */
export class NotHeldHere extends Error {
  constructor(what: string) {
    super(`${what} is not held by this replica`);
  }
}

export interface CommandRegistration {
  readonly subject: string;
  /** Stops taking requests; requests already received are still answered. */
  stop(): Promise<void>;
}

/**
 * Serves request/reply commands. Replicas of a service share one queue group (the
 * service name), so each request is answered by exactly one of them.
 */
@Injectable()
export class CommandServer implements BeforeApplicationShutdown {
  private readonly subscriptions = new Set<Subscription>();
  private inFlight = 0;
  private idle: (() => void)[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(BUS_OPTIONS) private readonly options: ResolvedBusOptions,
  ) {}

  /**
   * Subscribes at once. The server has the subscription after the next round trip on this
   * connection, which BusHealth.check() makes; so a replica reports ready only once it serves.
   */
  handle<C extends CommandContract>(
    contract: C,
    handler: CommandHandler<C>,
    options: HandleOptions = {},
  ): CommandRegistration {
    const subject = contract.subject;
    const ctx: CommandContext = { subject };
    const sub = this.nc.subscribe(subject, {
      // A contract answered by its holder is heard by every replica (see HandleOptions).
      ...((options.everyReplica ?? contract.answeredBy === 'holder') ? {} : { queue: this.options.service }),
      callback: (err: NatsError | null, msg: Msg) => {
        if (err) {
          logger.error({ message: 'command subscription error', subject, error: describe(err) });
          return;
        }
        this.inFlight++;
        void this.serve(contract, handler, ctx, msg).finally(() => this.settled());
      },
    });
    this.subscriptions.add(sub);
    return {
      subject,
      stop: async () => {
        if (!this.subscriptions.delete(sub)) return;
        await sub.drain().catch(() => undefined);
      },
    };
  }

  private async serve<C extends CommandContract>(
    contract: C,
    handler: CommandHandler<C>,
    ctx: CommandContext,
    msg: Msg,
  ): Promise<void> {
    const parent = extractTraceContext(msg.headers);
    const span = busTracer.startSpan(
      `process ${ctx.subject}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [MessagingAttr.system]: 'nats',
          [MessagingAttr.operationType]: 'process',
          [MessagingAttr.destination]: ctx.subject,
          [MessagingAttr.consumerGroup]: this.options.service,
        },
      },
      parent,
    );
    try {
      const result = await context.with(trace.setSpan(parent, span), () =>
        this.run(contract, handler, ctx, msg, span),
      );
      if (result !== NOT_HELD && msg.reply) msg.respond(encodeJson(result));
    } catch (err) {
      // Only encoding or a closed connection gets here; the caller will time out.
      logger.error({ message: 'could not answer a command', subject: ctx.subject, error: describe(err) });
    } finally {
      span.end();
    }
  }

  private async run<C extends CommandContract>(
    contract: C,
    handler: CommandHandler<C>,
    ctx: CommandContext,
    msg: Msg,
    span: Span,
  ): Promise<CommandResult<ReplyOf<C>> | typeof NOT_HELD> {
    let request: RequestOf<C>;
    try {
      request = parseWith(contract.request, decodeJson(msg.data), `${ctx.subject} request`) as RequestOf<C>;
    } catch (err) {
      const violation =
        err instanceof SchemaViolation
          ? err
          : new SchemaViolation(`${ctx.subject} request`, [`body is not JSON: ${describe(err)}`]);
      span.setAttribute('confer.command.error_code', INVALID_REQUEST);
      return invalidRequest(violation);
    }
    try {
      return { ok: true, reply: await handler(request, ctx) };
    } catch (err) {
      if (err instanceof NotHeldHere) {
        span.setAttribute('confer.command.not_held', true);
        return NOT_HELD;
      }
      const failure = toCommandFailure(err);
      span.setAttribute('confer.command.error_code', failure.error.code);
      if (!failure.expected) {
        span.recordException(err instanceof Error ? err : new Error(describe(err)));
        span.setStatus({ code: SpanStatusCode.ERROR, message: describe(err) });
        logger.error({
          message: 'command handler failed',
          subject: ctx.subject,
          error: describe(err),
          stack: err instanceof Error ? err.stack : undefined,
        });
      }
      return { ok: false, error: failure.error };
    }
  }

  private settled(): void {
    if (--this.inFlight === 0) {
      const waiting = this.idle;
      this.idle = [];
      waiting.forEach((resolve) => resolve());
    }
  }

  private whenIdle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops taking requests and answers those in progress, before the connection drains. */
  async beforeApplicationShutdown(): Promise<void> {
    const subs = [...this.subscriptions];
    this.subscriptions.clear();
    await Promise.all(subs.map((s) => s.drain().catch(() => undefined)));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        logger.warn({ message: 'commands still running at shutdown', inFlight: this.inFlight });
        resolve();
      }, this.options.shutdownTimeoutMs);
    });
    await Promise.race([this.whenIdle(), timeout]);
    clearTimeout(timer);
  }
}
