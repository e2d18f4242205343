// `npm start`: runs every built service and the gateway on one base URL (default http://localhost:8080).
import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startGateway } from './gateway.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const table = JSON.parse(readFileSync(join(root, 'deploy', 'routes.json'), 'utf8'));

/** KEY=value lines of the repository's .env (written by scripts/setup.sh); the real environment wins. */
function loadDotEnv() {
  const file = join(root, '.env');
  if (!existsSync(file)) return {};
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(entries);
}

const env = { ...loadDotEnv(), ...process.env };
const port = Number(env.PORT ?? 8080);
const children = [];
let stopping = false;

for (const [name, svc] of Object.entries(table.services)) {
  const child = spawn(process.execPath, [join(root, svc.entry)], {
    env: {
      ...env,
      [`${name.toUpperCase()}_PORT`]: String(svc.port),
      PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${port}`,
    },
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(
      JSON.stringify({ level: 'fatal', service: 'gateway', msg: `${name} exited`, code, signal }),
    );
    stop(1);
  });
  children.push(child);
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.on('exit', r))))).then(
    () => process.exit(code),
  );
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

await startGateway(table, { port });
console.log(
  JSON.stringify({
    level: 'info',
    service: 'gateway',
    msg: `Confer is up on http://localhost:${port}`,
    services: Object.keys(table.services),
  }),
);
