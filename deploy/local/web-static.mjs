// The web client (apps/web, built by Vite) served by the gateway itself: the /call/ and
// /webinar/ pages, their hashed assets, and the iframe bridge at its stable paths. It is
// plain files, so no service of its own; routes.json's `web` section says which paths.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Which file answers a path, or a redirect; null when the path is not the web client's. */
export function webFileFor(web, path) {
  if (!web) return null;
  if (!web.routes.some((pattern) => new RegExp(pattern).test(path))) return null;
  const alias = web.aliases?.[path];
  if (alias) return { file: alias };
  // /call → /call/ (the page's relative URLs and Gcore's links both use the slash).
  if (/^\/[a-z]+$/.test(path)) return { redirect: `${path}/` };
  return { file: path.endsWith('/') ? `${path}index.html` : path };
}

/** A request handler for the web client under `root`, or null when the client is not built. */
export function webStatic(web, root) {
  if (!web) return null;
  const base = resolve(root, web.root);
  return function serve(req, res, path, query) {
    const target = webFileFor(web, path);
    if (!target) return false;
    if (target.redirect) {
      res.writeHead(308, { location: `${target.redirect}${query ? `?${query}` : ''}` });
      res.end();
      return true;
    }
    let decoded;
    try {
      decoded = decodeURIComponent(target.file);
    } catch {
      // A malformed escape (`/assets/%zz`) is the client's mistake, never the gateway's end.
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { code: 'invalid_path', message: `the path ${path} is not valid URL encoding` },
        }),
      );
      return true;
    }
    const file = normalize(join(base, decoded));
    if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      const built = existsSync(base);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            code: 'not_found',
            message: built ? `no file at ${path}` : 'the web client is not built (npx nx build web)',
          },
        }),
      );
      return true;
    }
    const headers = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      // Hashed assets never change; pages and the bridge must pick up a new build.
      'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (req.method === 'HEAD') {
      res.writeHead(200, headers);
      return (res.end(), true);
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { 'content-type': 'application/json', allow: 'GET, HEAD' });
      res.end(JSON.stringify({ error: { code: 'method_not_allowed', message: `${req.method} ${path}` } }));
      return true;
    }
    res.writeHead(200, headers);
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
    return true;
  };
}
