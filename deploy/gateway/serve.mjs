// The front door in a cluster (the Helm chart's `web` Deployment): the same gateway as
// `npm start`, routing by deploy/routes.json, but to each service's own address, given as
// CONFER_UPSTREAMS={"auth":"http://confer-auth:8081",...}.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startGateway } from '../local/gateway.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const table = JSON.parse(readFileSync(join(root, 'deploy', 'routes.json'), 'utf8'));

function upstreamsFromEnv(raw) {
  const upstreams = JSON.parse(raw ?? '{}');
  const missing = Object.keys(table.services).filter((name) => !upstreams[name]);
  if (missing.length) throw new Error(`CONFER_UPSTREAMS names no address for: ${missing.join(', ')}`);
  return upstreams;
}

const upstreams = upstreamsFromEnv(process.env.CONFER_UPSTREAMS);
const port = Number(process.env.PORT ?? 8080);
const server = await startGateway(table, { port, upstreams });
console.log(JSON.stringify({ level: 'info', service: 'web', msg: `front door on port ${port}`, upstreams }));

// Kubernetes sends SIGTERM, then waits: finish what is in flight, take nothing new.
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections?.();
  setTimeout(() => process.exit(0), 25_000).unref();
});
