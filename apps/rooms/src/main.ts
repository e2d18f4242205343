import './tracing';
import { bootstrapHttpService, runClustered } from '@confer/http';
import { loadRoomsConfig } from './config/rooms.config';
import { RoomsModule } from './rooms.module';

async function main(): Promise<void> {
  const config = loadRoomsConfig();
  await runClustered(config.ROOMS_WORKERS, () =>
    bootstrapHttpService(RoomsModule.forConfig(config), {
      serviceName: 'rooms',
      port: config.ROOMS_PORT,
      title: 'Confer rooms API',
      description: 'Rooms, join decisions, presence and moderation.',
      version: '1.0.0',
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    JSON.stringify({ level: 'fatal', service: 'rooms', msg: 'start-up failed', error: String(error) }) + '\n',
  );
  process.exit(1);
});
