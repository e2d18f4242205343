import { randomBytes } from 'crypto';

/** Where integration tests find PostgreSQL and NATS (scripts/setup.sh prepares both). */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://confer:confer@127.0.0.1:5432/confer_test';
export const TEST_NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A schema name no other test run uses, so suites can run side by side and leave nothing behind. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** A TCP port free right now on the loopback interface. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
