import './tracing';
import { bootstrapHttpService } from '@confer/http';
import { loadRecordingConfig } from './config/recording.config';
import { RecordingModule } from './recording.module';

async function main(): Promise<void> {
  const config = loadRecordingConfig();
  await bootstrapHttpService(RecordingModule.forConfig(config), {
    serviceName: 'recording',
    port: config.RECORDING_PORT,
    title: 'Confer recording API',
    description:
      'Room recordings: start and stop, find, play (HLS) and download (MP4), and the Gcore video dialect.',
    version: '1.0.0',
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    JSON.stringify({ level: 'fatal', service: 'recording', msg: 'start-up failed', error: String(error) }) +
      '\n',
  );
  process.exit(1);
});
