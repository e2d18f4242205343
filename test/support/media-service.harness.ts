import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { configureHttpApp } from '@confer/http';
import { MediaModule } from '../../apps/media/src/media.module';
import { loadMediaConfig, MediaConfig } from '../../apps/media/src/config/media.config';
import { RoomRegistry } from '../../apps/media/src/rooms/room-registry';
import { WorkerPool } from '../../apps/media/src/workers/worker-pool';
import { RunningAuthService } from './auth-service.harness';
import { startInProcessTelemetry } from './in-process-telemetry';
import { freePort } from './test-env';

export interface RunningMediaService {
  app: NestExpressApplication;
  baseUrl: string;
  /** ws://127.0.0.1:PORT/v1/media/ws */
  signalingUrl: string;
  config: MediaConfig;
  workers: WorkerPool;
  rooms: RoomRegistry;
  close(): Promise<void>;
}

/**
 * What a media service needs beside a running auth service (in this process or as a built
 * process, `spawnBuiltService('media', …)`): its issuer and JWKS, NATS, loopback transports,
 * the cached mediasoup worker.
 */
export function mediaServiceEnv(auth: RunningAuthService): Record<string, string> {
  return {
    PUBLIC_URL: auth.env.PUBLIC_URL,
    AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
    MEDIA_LISTEN_IP: '127.0.0.1',
    MEDIA_SERVER_ID: 'serv0',
    NATS_URL: auth.natsUrl,
    ...(process.env.MEDIASOUP_WORKER_BIN ? { MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN } : {}),
  };
}

/**
 * The real media service beside a running auth service: real mediasoup workers (the
 * binary scripts/build-mediasoup-worker.sh caches), transports on loopback only, and the
 * process's telemetry (its metrics on `/metrics`).
 */
export async function startMediaService(
  auth: RunningAuthService,
  overrides: Partial<Record<string, string>> = {},
): Promise<RunningMediaService> {
  startInProcessTelemetry('media');
  const port = await freePort();
  const config = loadMediaConfig({ ...mediaServiceEnv(auth), MEDIA_WORKERS: '2', ...overrides });
  const moduleRef = await Test.createTestingModule({ imports: [MediaModule.forConfig(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error'],
  });
  configureHttpApp(app, { title: 'Confer media API', description: 'test', version: 'test' });
  app.enableShutdownHooks();
  await app.listen(port, '127.0.0.1');
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    signalingUrl: `ws://127.0.0.1:${port}/v1/media/ws`,
    config,
    workers: app.get(WorkerPool),
    rooms: app.get(RoomRegistry),
    close: () => app.close(),
  };
}
