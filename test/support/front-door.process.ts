import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');

export interface FrontDoorProcess {
  child: ChildProcess;
  output: () => string;
}

/** deploy/gateway/serve.mjs, as the Helm chart's `web` Deployment runs it, with `env` on top of ours. */
export function startFrontDoor(env: Record<string, string>): FrontDoorProcess {
  const child = spawn(process.execPath, [join(repoRoot, 'deploy', 'gateway', 'serve.mjs')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, output: () => output };
}

export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
