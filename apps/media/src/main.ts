import './tracing';
import { bootstrapHttpService } from '@confer/http';
import { loadMediaConfig } from './config/media.config';
import { MediaModule } from './media.module';
import { CallDrain } from './drain/call-drain';

// One process: it runs its own mediasoup workers (MEDIA_WORKERS, one per core by default).
async function main(): Promise<void> {
  const config = loadMediaConfig();
  await bootstrapHttpService(MediaModule.forConfig(config), {
    serviceName: 'media',
    port: config.MEDIA_PORT,
    title: 'Confer media API',
    description: 'mediasoup workers and WebRTC signaling (WebSocket on /v1/media/ws, see docs/signaling.md).',
    version: '1.0.0',
    // Calls in progress go on until they end or the drain grace is over (MEDIA_DRAIN_GRACE_SECONDS).
    beforeShutdown: (app) => app.get(CallDrain).untilCallsEnd(),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    JSON.stringify({ level: 'fatal', service: 'media', msg: 'start-up failed', error: String(error) }) + '\n',
  );
  process.exit(1);
});
