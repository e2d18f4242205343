import type { WebSocket, RawData } from 'ws';
import {
  parseWith,
  SchemaViolation,
  SignalingError,
  SignalingMethod,
  SignalingPayloadOf,
  SignalingRequestEnvelope,
  SignalingRequestEnvelopeSchema,
  SignalingRequests,
} from '@confer/contracts';
import { AppError } from '@confer/http';
import { MediaErrors } from '../media.errors';
import type { NotificationSink } from '../peers/peer';
import type { JoinRoom } from './requests/join-room';
import type { JoinedContext, JoinedHandlers, JoinedMethod } from './requests/joined-handlers';

/** WebSocket close codes this server uses (4000-4999 are the application's). */
export const CloseCodes = {
  invalidGrant: 4401,
  notJoined: 4400,
  replaced: 4409,
  sessionEnded: 4000,
} as const;

export interface SessionLogger {
  warn(fields: Record<string, unknown>): void;
  error(fields: Record<string, unknown>): void;
}

const isMethod = (method: string): method is SignalingMethod => Object.hasOwn(SignalingRequests, method);

/**
 * One signaling connection: requests are answered one at a time, in order. Until it
 * has joined only `join` is accepted; a bad grant is answered, then the socket closes.
 */
export class SignalingSession {
  readonly #socket: WebSocket;
  readonly #joinRoom: JoinRoom;
  readonly #handlers: JoinedHandlers;
  readonly #logger: SessionLogger;
  #context?: JoinedContext;
  #joining = false;
  #queue: Promise<void> = Promise.resolve();
  readonly #reconnectGraceMs: number;

  constructor(
    socket: WebSocket,
    joinRoom: JoinRoom,
    handlers: JoinedHandlers,
    logger: SessionLogger,
    options: { reconnectGraceMs?: number } = {},
  ) {
    this.#socket = socket;
    this.#joinRoom = joinRoom;
    this.#handlers = handlers;
    this.#logger = logger;
    this.#reconnectGraceMs = options.reconnectGraceMs ?? 0;
    socket.on('message', (raw: RawData, isBinary: boolean) => {
      this.#queue = this.#queue.then(() => this.#onMessage(raw, isBinary));
    });
    // A dropped socket is not a leave yet: the client may come back and resume the peer.
    socket.once('close', () => {
      const peer = this.#context?.peer;
      if (peer?.isAttachedTo(this.#notify)) peer.detach(this.#reconnectGraceMs);
    });
  }

  async #onMessage(raw: RawData, isBinary: boolean): Promise<void> {
    let envelope: SignalingRequestEnvelope;
    try {
      if (isBinary) throw new Error('binary');
      envelope = parseWith(SignalingRequestEnvelopeSchema, JSON.parse(raw.toString()), 'signaling request');
    } catch {
      this.#send({ id: null, ok: false, error: this.#errorOf(MediaErrors.invalidMessage()) });
      return;
    }
    const { id, method } = envelope;
    try {
      if (!isMethod(method))
        throw MediaErrors.unknownMethod({ method }, { message: `No such method: ${method}` });
      const schema = SignalingRequests[method].request;
      const data = parseWith(schema, envelope.data ?? {}, `${method} request`);
      if (method === 'join' || method === 'resume') {
        await this.#join(id, (notify) =>
          method === 'join'
            ? this.#joinRoom.join(data as SignalingPayloadOf<'join'>, notify)
            : this.#joinRoom.resume(data as SignalingPayloadOf<'resume'>, notify),
        );
        return;
      }
      if (!this.#context) {
        this.#reply(id, MediaErrors.notJoined());
        this.#socket.close(CloseCodes.notJoined, 'join first');
        return;
      }
      const handler = this.#handlers[method as JoinedMethod] as (
        c: JoinedContext,
        d: unknown,
      ) => Promise<object>;
      this.#send({ id, ok: true, data: await handler(this.#context, data) });
      if (method === 'leave') this.#socket.close(1000, 'left');
    } catch (error) {
      this.#reply(id, error);
    }
  }

  async #join(id: number, enter: (notify: NotificationSink) => ReturnType<JoinRoom['join']>): Promise<void> {
    if (this.#context || this.#joining) throw MediaErrors.alreadyJoined();
    this.#joining = true;
    try {
      const { context, reply } = await enter(this.#notify);
      if (this.#socket.readyState !== this.#socket.OPEN) {
        if (context.peer.isAttachedTo(this.#notify)) context.peer.detach(this.#reconnectGraceMs);
        return;
      }
      this.#context = context;
      const { peer } = context;
      const onClose = (reason: string) => {
        peer.off('handover', onHandover);
        if (reason === 'left' || !peer.isAttachedTo(this.#notify)) return;
        this.#socket.close(reason === 'replaced' ? CloseCodes.replaced : CloseCodes.sessionEnded, reason);
      };
      const onHandover = (previous: NotificationSink) => {
        if (previous !== this.#notify) return;
        peer.off('close', onClose);
        peer.off('handover', onHandover);
        this.#socket.close(CloseCodes.replaced, 'resumed on another connection');
      };
      peer.once('close', onClose);
      peer.on('handover', onHandover);
      this.#send({ id, ok: true, data: reply });
      // What changed between the reply's snapshot and now follows it, in order.
      for (const message of this.#heldWhileJoining.splice(0)) this.#send(message);
    } catch (error) {
      this.#reply(id, error);
      if (MediaErrors.invalidGrant.is(error) || MediaErrors.wrongMediaServer.is(error)) {
        this.#socket.close(CloseCodes.invalidGrant, 'invalid join grant');
      }
    } finally {
      this.#joining = false;
      this.#heldWhileJoining.length = 0;
    }
  }

  /**
   * Notifications for the peer between its seating and the join reply (another peer joining
   * at the same moment): they describe changes after the reply's snapshot, so they wait for it.
   */
  readonly #heldWhileJoining: object[] = [];

  #notify: NotificationSink = (notification, data) => {
    if (notification === 'sessionClosed' || this.#context) this.#send({ notification, data });
    else if (this.#joining) this.#heldWhileJoining.push({ notification, data });
  };

  #reply(id: number, error: unknown): void {
    this.#send({ id, ok: false, error: this.#errorOf(error) });
  }

  #errorOf(error: unknown): SignalingError {
    if (error instanceof AppError) return { code: error.code, message: error.message };
    if (error instanceof SchemaViolation)
      return { code: MediaErrors.invalidMessage.code, message: error.message };
    // mediasoup refusing parameters (bad RTP parameters, DTLS, …) is the caller's problem to see.
    const peer = this.#context?.peer;
    this.#logger.warn({
      msg: 'signaling request failed',
      peer: peer?.id,
      room: peer?.grant.room,
      error: String(error),
    });
    return {
      code: MediaErrors.mediaFailed.code,
      message: error instanceof Error ? error.message : String(error),
    };
  }

  #send(message: object): void {
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.send(JSON.stringify(message));
  }
}
