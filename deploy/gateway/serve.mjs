// The front door in a cluster (the Helm chart's `web` Deployment): the same gateway as
// `npm start`, routing by deploy/routes.json, but to each service's own address, given as
// CONFER_UPSTREAMS={"auth":"http://confer-auth:8081",...}. Given NATS_URL, it also routes
// /v1/media/nodes/<nodeId>/ to each media pod it hears of (see media-nodes.mjs).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startGateway } from '../local/gateway.mjs';
import { followMediaNodes, MediaNodeDirectory } from '../local/media-nodes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const table = JSON.parse(readFileSync(join(root, 'deploy', 'routes.json'), 'utf8'));

function upstreamsFromEnv(raw) {
  const upstreams = JSON.parse(raw ?? '{}');
  const missing = Object.keys(table.services).filter((name) => !upstreams[name]);
  if (missing.length) throw new Error(`CONFER_UPSTREAMS names no address for: ${missing.join(', ')}`);
  return upstreams;
}

function log(level, msg, fields = {}) {
  console.log(JSON.stringify({ level, service: 'web', msg, ...fields }));
}

const upstreams = upstreamsFromEnv(process.env.CONFER_UPSTREAMS);
const port = Number(process.env.PORT ?? 8080);
// With NATS, the media nodes' load reports say where each node is, and signaling reaches
// any one of them at /v1/media/nodes/<nodeId>/ (several media pods behind one public host).
const mediaNodes = process.env.NATS_URL ? new MediaNodeDirectory() : undefined;
const server = await startGateway(table, { port, upstreams, mediaNodes });
log('info', `front door on port ${port}`, { upstreams, routesMediaNodes: Boolean(mediaNodes) });
const nats = mediaNodes
  ? followMediaNodes(process.env.NATS_URL, mediaNodes, log).then(
      (nc) => (log('info', 'following media node reports'), nc),
      (error) => log('error', 'cannot follow media node reports', { error: String(error) }),
    )
  : undefined;

// Kubernetes sends SIGTERM, then waits: finish what is in flight, take nothing new.
process.on('SIGTERM', () => {
  void nats?.then((nc) => nc?.close());
  server.close(() => process.exit(0));
  server.closeIdleConnections?.();
  setTimeout(() => process.exit(0), 25_000).unref();
});
