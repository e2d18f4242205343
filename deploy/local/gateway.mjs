// One base URL for every service: a small reverse proxy driven by deploy/routes.json.
// It also merges the services' OpenAPI documents at /openapi.json and aggregates /readyz,
// and, given the media nodes it has heard of, routes /v1/media/nodes/<nodeId>/ to each.
import http from 'node:http';
import https from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeToMediaNode } from './media-nodes.mjs';
import { webStatic } from './web-static.mjs';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function compileRoutes(table) {
  return table.routes.map((r) => ({ regex: new RegExp(r.pattern), service: r.service }));
}

export function serviceFor(routes, path) {
  return routes.find((r) => r.regex.test(path))?.service;
}

/**
 * Where a service listens: `upstreams[name]` (a base URL, as the Helm chart gives the front
 * door in CONFER_UPSTREAMS) or, on one machine, 127.0.0.1 on the port of the route table.
 */
export function upstreamOf(table, upstreams, name) {
  const url = new URL(upstreams?.[name] ?? `http://127.0.0.1:${table.services[name].port}`);
  return { host: url.hostname, port: Number(url.port || 80), base: url.origin };
}

async function fetchJson(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return { status: response.status, body: await response.json() };
}

async function mergedOpenApi(table, upstreams) {
  const merged = {
    openapi: '3.0.0',
    info: { title: 'Confer API', version: '1.0.0' },
    paths: {},
    components: { schemas: {}, securitySchemes: {} },
    tags: [],
  };
  for (const name of Object.keys(table.services)) {
    const { body } = await fetchJson(`${upstreamOf(table, upstreams, name).base}/openapi.json`);
    Object.assign(merged.paths, body.paths);
    Object.assign(merged.components.schemas, body.components?.schemas);
    Object.assign(merged.components.securitySchemes, body.components?.securitySchemes);
    for (const tag of body.tags ?? [])
      if (!merged.tags.some((t) => t.name === tag.name)) merged.tags.push(tag);
    merged.info.description = `${merged.info.description ?? 'Services:'} ${name}`;
  }
  return merged;
}

async function readiness(table, upstreams) {
  const checks = {};
  let ready = true;
  for (const name of Object.keys(table.services)) {
    try {
      const { status, body } = await fetchJson(`${upstreamOf(table, upstreams, name).base}/readyz`);
      checks[name] = body;
      ready &&= status === 200;
    } catch (error) {
      checks[name] = { status: 'unreachable', error: String(error) };
      ready = false;
    }
  }
  return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not_ready', services: checks } };
}

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** An error on a socket asking for an upgrade: a whole HTTP response, then the end. */
function refuseUpgrade(socket, status, reason, error) {
  const body = error ? JSON.stringify({ error }) : '';
  const head = [`HTTP/1.1 ${status} ${reason}`, 'Connection: close'];
  if (error) head.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

/** A media node's origin (`http://10.0.3.7:8085`) as a proxy target. */
function originTarget(origin) {
  const url = new URL(origin);
  const secure = url.protocol === 'https:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (secure ? 443 : 80)),
    client: secure ? https : http,
  };
}

/** Passes a request to `target` as `path`; `name` says who, in a 502. */
function proxyRequest(req, res, target, path, name) {
  const upstream = (target.client ?? http).request(
    {
      host: target.host,
      port: target.port,
      method: req.method,
      path,
      headers: {
        ...req.headers,
        'x-forwarded-host': req.headers.host ?? '',
        'x-forwarded-for': req.socket.remoteAddress ?? '',
      },
    },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent)
      sendJson(res, 502, {
        error: { code: 'bad_gateway', message: `${name} is unavailable: ${error.message}` },
      });
    else res.destroy();
  });
  req.pipe(upstream);
}

/** Passes a WebSocket upgrade to `target` as `path`, then splices the two sockets. */
function proxyUpgrade(req, socket, head, target, path) {
  const upstream = (target.client ?? http).request({
    host: target.host,
    port: target.port,
    method: req.method,
    path,
    headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
  });
  upstream.on('upgrade', (up, upSocket, upHead) => {
    const lines = [`HTTP/1.1 ${up.statusCode} ${up.statusMessage}`];
    for (let i = 0; i < up.rawHeaders.length; i += 2)
      lines.push(`${up.rawHeaders[i]}: ${up.rawHeaders[i + 1]}`);
    socket.write(lines.join('\r\n') + '\r\n\r\n');
    if (upHead.length) socket.write(upHead);
    if (head.length) upSocket.write(head);
    upSocket.pipe(socket).pipe(upSocket);
    upSocket.on('error', () => socket.destroy());
    socket.on('error', () => upSocket.destroy());
  });
  upstream.on('response', (up) => {
    socket.end(`HTTP/1.1 ${up.statusCode} ${up.statusMessage}\r\nConnection: close\r\n\r\n`);
    up.resume();
  });
  upstream.on('error', () => refuseUpgrade(socket, 502, 'Bad Gateway'));
  upstream.end();
}

/**
 * `webRoot`: where the web client's `web.root` lives (the repository, unless a test says otherwise).
 * `mediaNodes`: a MediaNodeDirectory (media-nodes.mjs) to route /v1/media/nodes/<nodeId>/ by;
 * without one, no node is reachable that way.
 */
export function startGateway(
  table,
  { port, host = '0.0.0.0', upstreams, webRoot = repositoryRoot, mediaNodes },
) {
  const routes = compileRoutes(table);
  const web = webStatic(table.web, webRoot);
  const server = http.createServer(async (req, res) => {
    const [path, query] = (req.url ?? '/').split('?');
    try {
      if (web?.(req, res, path, query)) return;
      if (path === '/openapi.json') return sendJson(res, 200, await mergedOpenApi(table, upstreams));
      if (path === '/readyz') {
        const { status, body } = await readiness(table, upstreams);
        return sendJson(res, status, body);
      }
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    } catch (error) {
      return sendJson(res, 502, { error: { code: 'bad_gateway', message: String(error) } });
    }
    // One media node in particular (the URL its reports announce), before the media service's routes.
    const node = routeToMediaNode(mediaNodes, req.url ?? '/');
    if (node?.error) {
      const { status, ...error } = node.error;
      return sendJson(res, status, { error });
    }
    if (node)
      return proxyRequest(req, res, originTarget(node.origin), node.path, `media node ${node.nodeId}`);
    const service = serviceFor(routes, path);
    if (!service)
      return sendJson(res, 404, { error: { code: 'not_found', message: `no service answers ${path}` } });
    proxyRequest(req, res, upstreamOf(table, upstreams, service), req.url, service);
  });
  // WebSockets (the media service's signaling): pass the upgrade through, then splice the sockets.
  server.on('upgrade', (req, socket, head) => {
    const node = routeToMediaNode(mediaNodes, req.url ?? '/');
    if (node?.error) {
      const { status, ...error } = node.error;
      return refuseUpgrade(socket, status, status === 400 ? 'Bad Request' : 'Service Unavailable', error);
    }
    if (node) return proxyUpgrade(req, socket, head, originTarget(node.origin), node.path);
    const service = serviceFor(routes, (req.url ?? '/').split('?')[0]);
    if (!service) return refuseUpgrade(socket, 404, 'Not Found');
    proxyUpgrade(req, socket, head, upstreamOf(table, upstreams, service), req.url);
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
