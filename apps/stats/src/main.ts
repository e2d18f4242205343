import './tracing';
import { bootstrapHttpService } from '@confer/http';
import { loadStatsConfig } from './config/stats.config';
import { StatsModule } from './stats.module';

async function main(): Promise<void> {
  const config = loadStatsConfig();
  await bootstrapHttpService(StatsModule.forConfig(config), {
    serviceName: 'stats',
    port: config.STATS_PORT,
    title: 'Confer stats API',
    description: 'Attendance sessions, 30-second buckets and usage.',
    version: '1.0.0',
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    JSON.stringify({ level: 'fatal', service: 'stats', msg: 'start-up failed', error: String(error) }) + '\n',
  );
  process.exit(1);
});
