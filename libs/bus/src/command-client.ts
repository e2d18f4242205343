import { Inject, Injectable } from '@nestjs/common';
import { CommandContract, ReplyOf, RequestOf, SchemaViolation, parseWith } from '@confer/contracts';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { Msg, NatsConnection } from 'nats';
import { CommandReplyInvalid, CommandRequestInvalid, describe } from './bus.errors';
import { ResolvedBusOptions } from './bus.options';
import { BUS_OPTIONS, NATS_CONNECTION } from './bus.tokens';
import { readCommandResult, requestError } from './command-result';
import { decodeJson, encodeJson } from './json';
import { injectTraceHeaders } from './trace-headers';
import { MessagingAttr, busTracer } from './tracing';

export interface CommandRequestOptions {
  /** Default: BusModule's commandTimeoutMs (2000). */
  timeoutMs?: number;
}

/** Sends request/reply commands to other services, typed by their contract end to end. */
@Injectable()
export class CommandClient {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(BUS_OPTIONS) private readonly options: ResolvedBusOptions,
  ) {}

  /**
   * Resolves with the validated reply. Rejects with CommandRequestInvalid (a CommandFailed
   * with code invalid_request) before sending, CommandFailed when the service refuses,
   * CommandTimeout, CommandUnavailable, or CommandReplyInvalid.
   */
  async request<C extends CommandContract>(
    contract: C,
    request: RequestOf<C>,
    opts: CommandRequestOptions = {},
  ): Promise<ReplyOf<C>> {
    const subject = contract.subject;
    try {
      parseWith(contract.request, request, `${subject} request`);
    } catch (err) {
      if (err instanceof SchemaViolation) throw new CommandRequestInvalid(subject, err.problems);
      throw err;
    }
    const timeoutMs = opts.timeoutMs ?? this.options.commandTimeoutMs;
    const span = busTracer.startSpan(`send ${subject}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        [MessagingAttr.system]: 'nats',
        [MessagingAttr.operationType]: 'send',
        [MessagingAttr.destination]: subject,
      },
    });
    try {
      let reply: Msg;
      try {
        const headers = injectTraceHeaders(trace.setSpan(context.active(), span));
        reply = await this.nc.request(subject, encodeJson(request), { timeout: timeoutMs, headers });
      } catch (err) {
        throw requestError(subject, timeoutMs, err);
      }
      let body: unknown;
      try {
        body = decodeJson(reply.data);
      } catch (err) {
        throw new CommandReplyInvalid(subject, [`reply is not JSON: ${describe(err)}`]);
      }
      return readCommandResult(contract, body);
    } catch (err) {
      span.recordException(err instanceof Error ? err : new Error(describe(err)));
      span.setStatus({ code: SpanStatusCode.ERROR, message: describe(err) });
      throw err;
    } finally {
      span.end();
    }
  }
}
