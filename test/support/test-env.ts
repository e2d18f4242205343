import { randomBytes } from 'crypto';

/** Where integration tests find PostgreSQL and NATS (scripts/setup.sh prepares both). */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://confer:confer@127.0.0.1:5432/confer_test';
export const TEST_NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A schema name no other test run uses, so suites can run side by side and leave nothing behind. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * A TCP port nothing listens on, below the kernel's ephemeral range (32768–60999 here):
 * a port from that range, free when checked, can be taken a moment later by any outgoing
 * connection (to PostgreSQL, NATS, …) before the test's server binds it.
 */
export async function freePort(): Promise<number> {
  const { createServer } = await import('net');
  const tryPort = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await tryPort(port)) return port;
  }
  throw new Error('no free port found between 20000 and 32000');
}
