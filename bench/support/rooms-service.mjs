// Starts the built rooms service as its own process beside a bench auth service.
import { spawn, execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { waitUntilReady } from './auth-service.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

export async function startRoomsService(auth, { port = 18082 } = {}) {
  const schema = `rooms_bench_${Date.now().toString(36)}`;
  const env = {
    ...process.env,
    DATABASE_URL: auth.env.DATABASE_URL,
    NATS_URL: auth.env.NATS_URL,
    ROOMS_DB_SCHEMA: schema,
    ROOMS_PORT: String(port),
    ROOMS_WORKERS: process.env.BENCH_ROOMS_WORKERS ?? '1',
    PUBLIC_URL: auth.env.PUBLIC_URL,
    AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
    LOG_LEVEL: 'warn',
    // Bench peers send no heartbeats: without this, a run longer than the default 30 s
    // would time thousands of them out while it measures joins, slowing the joins it
    // measures (the slower the machine, the more).
    PEER_HEARTBEAT_TIMEOUT_SECONDS: process.env.BENCH_PEER_TIMEOUT_SECONDS ?? '600',
  };
  execFileSync(process.execPath, [join(root, 'apps/rooms/dist/database/migrate.js')], {
    env,
    stdio: 'ignore',
  });
  const nodeArgs = process.env.BENCH_ROOMS_NODE_ARGS ? process.env.BENCH_ROOMS_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'apps/rooms/dist/main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(baseUrl, 'rooms');
  return {
    baseUrl,
    pid: child.pid,
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
