// One base URL for every service: a small reverse proxy driven by deploy/routes.json.
// It also merges the services' OpenAPI documents at /openapi.json and aggregates /readyz.
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** `webRoot`: where the web client's `web.root` lives (the repository, unless a test says otherwise). */
export function startGateway(table, { port, host = '0.0.0.0', upstreams, webRoot = repositoryRoot }) {
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
    const service = serviceFor(routes, path);
    if (!service)
      return sendJson(res, 404, { error: { code: 'not_found', message: `no service answers ${path}` } });
    const target = upstreamOf(table, upstreams, service);
    const upstream = http.request(
      {
        host: target.host,
        port: target.port,
        method: req.method,
        path: req.url,
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
          error: { code: 'bad_gateway', message: `${service} is unavailable: ${error.message}` },
        });
      else res.destroy();
    });
    req.pipe(upstream);
  });
  // WebSockets (the media service's signaling): pass the upgrade through, then splice the sockets.
  server.on('upgrade', (req, socket, head) => {
    const service = serviceFor(routes, (req.url ?? '/').split('?')[0]);
    if (!service) return socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    const target = upstreamOf(table, upstreams, service);
    const upstream = http.request({
      host: target.host,
      port: target.port,
      method: req.method,
      path: req.url,
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
    upstream.on('error', () => socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n'));
    upstream.end();
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
