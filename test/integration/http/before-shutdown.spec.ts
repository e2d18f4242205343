import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../support/test-env';

// SIGTERM to a service with work to finish (a media server's calls): it keeps serving
// until the work is done, then shuts down and exits as the signal asks.

describe('finishing work before shutdown', () => {
  it('keeps serving after SIGTERM until the work is done, then exits', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        '-r',
        join(__dirname, '..', 'telemetry', 'fixtures', 'register-ts.js'),
        join(__dirname, 'fixtures', 'draining-main.ts'),
      ],
      {
        env: { ...process.env, PORT: String(port), LOG_LEVEL: 'error' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i += 1) {
      try {
        if ((await fetch(`${base}/work`)).ok) break;
      } catch {
        if (i > 200) throw new Error('the fixture did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    child.kill('SIGTERM');
    for (let i = 0; !output.includes('draining'); i += 1) {
      if (i > 100) throw new Error('SIGTERM did not start the drain');
      await new Promise((r) => setTimeout(r, 50));
    }
    // A second later it still answers: shutting down has not begun.
    await new Promise((r) => setTimeout(r, 1000));
    expect(child.exitCode).toBeNull();
    expect(await (await fetch(`${base}/work`)).json()).toEqual({ running: true });

    await fetch(`${base}/finish`);
    expect(await exited).toBe('SIGTERM');
  }, 30_000);
});
