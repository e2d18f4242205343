import { ChildProcess, spawn } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { connect } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

export interface PrivateNatsServer {
  url: string;
  stop(): Promise<void>;
}

export const NATS_SERVER_CANDIDATES = [
  process.env.NATS_SERVER_BIN,
  '/usr/sbin/nats-server',
  '/usr/bin/nats-server',
  '/usr/local/bin/nats-server',
];

/**
 * A NATS server (JetStream on) for this suite alone. Every auth instance serves its
 * commands in the queue group "auth"; on a shared server, an auth service started by a
 * suite running at the same time (with its own database schema) would answer some of
 * this suite's requests. Undefined when no nats-server binary is installed.
 */
export async function startPrivateNatsServer(port: number): Promise<PrivateNatsServer | undefined> {
  const binary = NATS_SERVER_CANDIDATES.find((path): path is string => !!path && existsSync(path));
  if (!binary) return undefined;
  const storeDir = mkdtempSync(join(tmpdir(), 'confer-test-nats-'));
  const child: ChildProcess = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: 'ignore',
  });
  await waitForPort(port, 10_000);
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

/** Resolves once something listens on the loopback port. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nats-server did not listen on ${port} within ${timeoutMs} ms`);
}
