// Starts the built webhooks service as its own process beside a bench auth service, allowed
// to deliver to http://127.0.0.1 (the bench's receiver). BENCH_WEBHOOKS_DIST names another
// build of the service (e.g. of an earlier commit) to compare back to back.
import { spawn, execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { waitUntilReady } from './auth-service.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

export async function startWebhooksService(auth, { port = 18084, env: extra = {} } = {}) {
  const schema = `webhooks_bench_${Date.now().toString(36)}`;
  const env = {
    ...process.env,
    DATABASE_URL: auth.env.DATABASE_URL,
    NATS_URL: auth.env.NATS_URL,
    WEBHOOKS_DB_SCHEMA: schema,
    WEBHOOKS_CONSUMER: schema,
    WEBHOOKS_PORT: String(port),
    WEBHOOKS_WORKERS: '1',
    PUBLIC_URL: auth.env.PUBLIC_URL,
    AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
    WEBHOOKS_ALLOW_HTTP: 'true',
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
    DEFAULT_RATE_LIMIT_PER_SECOND: '100000',
    LOG_LEVEL: 'warn',
    ...extra,
  };
  const dist = process.env.BENCH_WEBHOOKS_DIST ?? join(root, 'apps/webhooks/dist');
  execFileSync(process.execPath, [join(dist, 'database/migrate.js')], {
    env,
    stdio: 'ignore',
  });
  const nodeArgs = process.env.BENCH_WEBHOOKS_NODE_ARGS
    ? process.env.BENCH_WEBHOOKS_NODE_ARGS.split(' ')
    : [];
  const child = spawn(process.execPath, [...nodeArgs, join(dist, 'main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(baseUrl, 'webhooks');
  return {
    baseUrl,
    schema,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
      const { Client } = require('pg');
      const client = new Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}
