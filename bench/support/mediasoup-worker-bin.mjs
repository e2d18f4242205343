// Where the benches find the mediasoup worker the media service runs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The worker binary the media service runs: $MEDIASOUP_WORKER_BIN, the local .env, or the cached build. */
export function workerBin() {
  if (process.env.MEDIASOUP_WORKER_BIN) return process.env.MEDIASOUP_WORKER_BIN;
  try {
    const line = readFileSync(join(root, '.env'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('MEDIASOUP_WORKER_BIN='));
    if (line) return line.slice('MEDIASOUP_WORKER_BIN='.length).trim();
  } catch {
    // no .env yet: fall through to the build script, which prints the cached binary.
  }
  return execFileSync('bash', [join(root, 'scripts/build-mediasoup-worker.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}
