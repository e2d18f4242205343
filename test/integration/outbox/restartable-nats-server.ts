import { ChildProcess, spawn } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NATS_SERVER_CANDIDATES, waitForPort } from '../../support/private-nats-server';
import { freePort } from '../../support/test-env';

export { freePort };

/**
 * A private nats-server (JetStream on) that can be stopped and started again on the same
 * port with the same store, like a real outage: the streams the services created survive.
 * (A fresh server would lack CONFER_EVENTS, and the bus only creates streams at boot.)
 */
export class RestartableNatsServer {
  #child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly binary: string,
    private readonly storeDir: string,
  ) {}

  static async start(): Promise<RestartableNatsServer> {
    const binary = NATS_SERVER_CANDIDATES.find((path): path is string => !!path && existsSync(path));
    if (!binary) throw new Error('nats-server is not installed (set NATS_SERVER_BIN)');
    const server = new RestartableNatsServer(
      await freePort(),
      binary,
      mkdtempSync(join(tmpdir(), 'confer-outbox-nats-')),
    );
    await server.resume();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    if (this.#child) return;
    this.#child = spawn(
      this.binary,
      ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir],
      { stdio: 'ignore' },
    );
    await waitForPort(this.port, 10_000);
  }

  /** Kills the server, keeping its store for resume(). */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
