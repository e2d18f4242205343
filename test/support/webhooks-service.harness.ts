import { runMigrations } from '@confer/database';
import { WebhooksModule } from '../../apps/webhooks/src/webhooks.module';
import { loadWebhooksConfig, WebhooksConfig } from '../../apps/webhooks/src/config/webhooks.config';
import { webhooksDatabaseOptions } from '../../apps/webhooks/src/database/webhooks-database';
import { RunningAuthService } from './auth-service.harness';
import { startInProcessTelemetry } from './in-process-telemetry';
import { RunningNestService, startNestService } from './nest-service.harness';
import { freePort, TEST_DATABASE_URL, uniqueSchema } from './test-env';

export type RunningWebhooksService = RunningNestService<WebhooksConfig>;

/**
 * The real webhooks service beside a running auth service: same NATS, same issuer, its own
 * schema and consumer, and the process's telemetry (its metrics on `/metrics`).
 */
export function startWebhooksService(
  auth: RunningAuthService,
  overrides: Partial<Record<string, string>> = {},
): Promise<RunningWebhooksService> {
  startInProcessTelemetry('webhooks');
  return startNestService({
    name: 'webhooks',
    databaseOptions: webhooksDatabaseOptions,
    module: (config) => WebhooksModule.forConfig(config),
    config: (schema) =>
      loadWebhooksConfig({
        DATABASE_URL: TEST_DATABASE_URL,
        NATS_URL: auth.natsUrl,
        WEBHOOKS_DB_SCHEMA: schema,
        WEBHOOKS_CONSUMER: schema,
        PUBLIC_URL: auth.env.PUBLIC_URL,
        AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
        OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
        WEBHOOKS_ALLOW_HTTP: 'true',
        WEBHOOK_RETRY_BASE_MS: '100',
        WEBHOOK_POLL_MS: '50',
        WEBHOOK_TIMEOUT_MS: '2000',
        DEFAULT_RATE_LIMIT_PER_SECOND: '1000',
        LOG_LEVEL: 'warn',
        ...overrides,
      }),
  });
}

/** A migrated webhooks schema for processes started with spawnWebhooksProcess. */
export async function migratedWebhooksSchema(): Promise<string> {
  const schema = uniqueSchema('webhooks');
  await runMigrations(webhooksDatabaseOptions(TEST_DATABASE_URL, schema));
  return schema;
}

export interface WebhooksProcess {
  baseUrl: string;
  pid: number;
  /** SIGKILL: no shutdown hook runs, nothing is flushed, held events and leases stay held. */
  kill(): Promise<void>;
}

/**
 * The built webhooks service (apps/webhooks/dist) as its own process, on `schema` with the
 * durable consumer of the same name, so a test can kill it outright and start another
 * in its place. Build first (`npx tsc -p apps/webhooks/tsconfig.build.json`).
 */
export async function spawnWebhooksProcess(
  auth: RunningAuthService,
  schema: string,
  overrides: Record<string, string> = {},
): Promise<WebhooksProcess> {
  const { spawn } = await import('child_process');
  const { join } = await import('path');
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [join(__dirname, '..', '..', 'apps', 'webhooks', 'dist', 'main.js')],
    {
      env: {
        ...process.env,
        DATABASE_URL: TEST_DATABASE_URL,
        NATS_URL: auth.natsUrl,
        WEBHOOKS_DB_SCHEMA: schema,
        WEBHOOKS_CONSUMER: schema,
        WEBHOOKS_PORT: String(port),
        WEBHOOKS_WORKERS: '1',
        PUBLIC_URL: auth.env.PUBLIC_URL,
        AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
        OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
        WEBHOOKS_ALLOW_HTTP: 'true',
        WEBHOOK_RETRY_BASE_MS: '100',
        WEBHOOK_POLL_MS: '50',
        WEBHOOK_TIMEOUT_MS: '1000',
        DEFAULT_RATE_LIMIT_PER_SECOND: '1000',
        LOG_LEVEL: 'error',
        ...overrides,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 100 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('the webhooks process did not become ready');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    pid: child.pid ?? 0,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
