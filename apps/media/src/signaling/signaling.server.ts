import type { IncomingMessage, Server } from 'http';
import type { Duplex } from 'stream';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocket, WebSocketServer } from 'ws';
import { SIGNALING_PATH } from '@confer/contracts';
import { MEDIA_CONFIG, MediaConfig } from '../config/media.config';
import { JoinRoom } from './requests/join-room';
import { JOINED_HANDLERS } from './signaling.tokens';
import type { JoinedHandlers } from './requests/joined-handlers';
import { SignalingSession } from './signaling-session';

const MAX_MESSAGE_BYTES = 256 * 1024;
const PING_INTERVAL_MS = 15_000;

/** Serves the signaling protocol on the service's own HTTP server, at SIGNALING_PATH. */
@Injectable()
export class SignalingServer implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #logger = new Logger(SignalingServer.name);
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  readonly #alive = new WeakSet<WebSocket>();
  #pinger?: NodeJS.Timeout;
  #server?: Server;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly joinRoom: JoinRoom,
    @Inject(JOINED_HANDLERS) private readonly handlers: JoinedHandlers,
    @Inject(MEDIA_CONFIG) private readonly config: MediaConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.#server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.#server.on('upgrade', this.#onUpgrade);
    this.#wss.on('connection', (socket) => this.#accept(socket));
    // A peer whose network vanished never sends a close: ping, and drop the silent.
    this.#pinger = setInterval(() => {
      for (const socket of this.#wss.clients) {
        if (!this.#alive.has(socket)) {
          socket.terminate();
          continue;
        }
        this.#alive.delete(socket);
        socket.ping();
      }
    }, PING_INTERVAL_MS);
    this.#pinger.unref();
  }

  #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== SIGNALING_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#wss.emit('connection', ws, request));
  };

  #accept(socket: WebSocket): void {
    this.#alive.add(socket);
    socket.on('pong', () => this.#alive.add(socket));
    new SignalingSession(
      socket,
      this.joinRoom,
      this.handlers,
      {
        warn: (fields) => this.#logger.warn(fields),
        error: (fields) => this.#logger.error(fields),
      },
      { reconnectGraceMs: this.config.MEDIA_RECONNECT_GRACE_SECONDS * 1000 },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.#pinger);
    this.#server?.off('upgrade', this.#onUpgrade);
    for (const socket of this.#wss.clients) socket.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
