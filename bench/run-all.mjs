// npm run bench: every benchmark in turn (each starts and stops what it measures).
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
for (const bench of [
  'participant-token-verify.bench.mjs',
  'token-endpoint.bench.mjs',
  'join-decision.bench.mjs',
  'webhooks-delivery.bench.mjs',
  'stats-service.bench.mjs',
  'media-placement.bench.mjs',
  'media-consumers.bench.mjs',
  'recording-composite.bench.mjs',
  'browser-first-frame.bench.mjs',
]) {
  execFileSync(process.execPath, [join(here, bench)], { stdio: 'inherit' });
}
