import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingModule } from '../../apps/recording/src/recording.module';
import { loadRecordingConfig, RecordingConfig } from '../../apps/recording/src/config/recording.config';
import { recordingDatabaseOptions } from '../../apps/recording/src/database/recording-database';
import { RunningAuthService } from './auth-service.harness';
import { RunningNestService, startNestService } from './nest-service.harness';
import { TEST_DATABASE_URL } from './test-env';

export type RunningRecordingService = RunningNestService<RecordingConfig>;

/** The environment a recording service needs beside a running auth service (files in a fresh temp dir). */
export function recordingEnv(auth: RunningAuthService, consumer: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'confer-recording-'));
  return {
    DATABASE_URL: TEST_DATABASE_URL,
    NATS_URL: auth.natsUrl,
    PUBLIC_URL: auth.env.PUBLIC_URL,
    AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
    RECORDING_CONSUMER: consumer,
    RECORDING_WORK_DIR: join(dir, 'work'),
    RECORDING_STORAGE_DIR: join(dir, 'files'),
    DEFAULT_RATE_LIMIT_PER_SECOND: '1000',
    LOG_LEVEL: 'warn',
  };
}

/** The real recording service in this process, on its own schema (or a given one). */
export function startRecordingService(
  auth: RunningAuthService,
  overrides: Partial<Record<string, string>> & { RECORDING_CONSUMER: string },
  options: { schema?: string } = {},
): Promise<RunningRecordingService> {
  const env = { ...recordingEnv(auth, overrides.RECORDING_CONSUMER), ...overrides };
  return startNestService({
    name: 'recording',
    schema: options.schema,
    databaseOptions: recordingDatabaseOptions,
    module: (config) => RecordingModule.forConfig(config),
    config: (schema) => loadRecordingConfig({ ...env, RECORDING_DB_SCHEMA: schema } as NodeJS.ProcessEnv),
  });
}
