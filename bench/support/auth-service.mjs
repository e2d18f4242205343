// Starts the built auth service as its own process, in a fresh schema, and creates an
// organisation with the CLI: the same path an operator takes.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

export async function startAuthService({ port = 18081 } = {}) {
  const schema = `auth_bench_${Date.now().toString(36)}`;
  const env = {
    ...process.env,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'postgres://confer:confer@127.0.0.1:5432/confer_test',
    NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    AUTH_DB_SCHEMA: schema,
    AUTH_PORT: String(port),
    AUTH_WORKERS: process.env.BENCH_AUTH_WORKERS ?? '1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SECRET_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
  };
  execFileSync(process.execPath, [join(root, 'apps/auth/dist/database/migrate.js')], {
    env,
    stdio: 'ignore',
  });
  const nodeArgs = process.env.BENCH_AUTH_NODE_ARGS ? process.env.BENCH_AUTH_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'apps/auth/dist/main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(baseUrl, 'auth');
  const org = JSON.parse(
    execFileSync(
      process.execPath,
      [
        join(root, 'apps/auth/bin/confer.js'),
        'org',
        'create',
        '--name',
        'bench',
        '--rate-limit',
        '1000000',
        '--json',
      ],
      { env },
    ).toString(),
  );
  return {
    baseUrl,
    pid: child.pid,
    env,
    org,
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

/** Waits for a service's /readyz to answer 200 (NATS and PostgreSQL reachable). */
export async function waitUntilReady(baseUrl, name) {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    if (i > 100) throw new Error(`${name} service did not become ready`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Latency percentiles (ms) of a list of durations (ms). */
export function percentiles(durations) {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { p50: at(50), p90: at(90), p99: at(99), max: sorted[sorted.length - 1] };
}

/** Runs `task` with `concurrency` workers until `total` calls are done; returns throughput and latencies. */
export async function drive({ total, concurrency, task }) {
  const durations = new Array(total);
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        try {
          await task(i);
        } catch (error) {
          failures++;
          if (failures < 3) console.error(String(error));
        }
        durations[i] = performance.now() - t0;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    total,
    concurrency,
    failures,
    seconds: +seconds.toFixed(2),
    perSecond: Math.round(total / seconds),
    ...round(percentiles(durations)),
  };
}

function round(obj) {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, +v.toFixed(2)]));
}

/**
 * Starts `task` at a fixed `rate` per second for `total` calls whatever the answers do (an
 * open loop, as independent clients arrive), and times each call from when it was due, not
 * from when it could start: a stalled service shows in the latencies instead of merely
 * slowing the arrivals (coordinated omission).
 */
export async function driveAtRate({ total, rate, task }) {
  const durations = new Array(total);
  let failures = 0;
  const started = performance.now();
  const calls = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    calls.push(
      Promise.resolve()
        .then(() => task(i))
        .catch((error) => {
          failures++;
          if (failures < 3) console.error(String(error));
        })
        .finally(() => (durations[i] = performance.now() - due)),
    );
  }
  await Promise.all(calls);
  const seconds = (performance.now() - started) / 1000;
  return {
    total,
    offeredPerSecond: rate,
    failures,
    seconds: +seconds.toFixed(2),
    perSecond: Math.round(total / seconds),
    ...round(percentiles(durations)),
  };
}
