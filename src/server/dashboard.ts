import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:dashboard` writes the bundle. */
export const DASHBOARD_DIST = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Assay</title>
<p>The dashboard is not built. Run <code>npm run build:dashboard</code> (npm install does it), or use GraphiQL at <a href="/graphql">/graphql</a>.</p>`;

/**
 * Static files of the dashboard: `/` is its index.html and `/dashboard/<file>` its assets.
 * Answers true when it handled the request. Only files directly inside `dir` with a known
 * extension are served, so no path (encoded `..`, backslashes, NUL) leaves it.
 */
export function serveDashboard(
  dir: string,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): boolean {
  let file: string;
  if (path === '/' || path === '/index.html') file = 'index.html';
  else if (path.startsWith('/dashboard/')) {
    let name: string;
    try {
      name = decodeURIComponent(path.slice('/dashboard/'.length));
    } catch {
      return notFound(res);
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) return notFound(res);
    file = name;
  } else return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  const type = TYPES[extname(file)];
  const full = normalize(join(dir, file));
  if (!type || !full.startsWith(normalize(dir + sep))) return notFound(res);
  let size: number;
  try {
    const st = statSync(full);
    if (!st.isFile()) return notFound(res);
    size = st.size;
  } catch {
    if (file === 'index.html') {
      res.writeHead(503, { 'content-type': TYPES['.html']! }).end(NOT_BUILT);
      return true;
    }
    return notFound(res);
  }
  res.writeHead(200, {
    'content-type': type,
    'content-length': size,
    'x-content-type-options': 'nosniff',
    // The index names unhashed assets: revalidate both so a rebuild shows at once.
    'cache-control': 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(full).pipe(res);
  return true;
}

function notFound(res: ServerResponse): true {
  res.writeHead(404, { 'content-type': TYPES['.txt']! }).end('not found');
  return true;
}
