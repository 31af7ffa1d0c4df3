import { createReadStream, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  encodedTag,
  matchesTag,
  MIN_COMPRESSED_BYTES,
  negotiateEncoding,
  type Encoding,
} from './compression.ts';

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
 * extension are served, so no path (encoded `..`, backslashes, NUL) leaves it. Files of at least
 * MIN_COMPRESSED_BYTES go br or gzip from the copies the build wrote beside them, as the
 * request's Accept-Encoding asks; every file has an ETag, and a matching If-None-Match gets 304.
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
  let st: Stats;
  try {
    st = statSync(full);
    if (!st.isFile()) return notFound(res);
  } catch {
    if (file === 'index.html') {
      res.writeHead(503, { 'content-type': TYPES['.html']! }).end(NOT_BUILT);
      return true;
    }
    return notFound(res);
  }
  // Size and modification time, as most static servers tag: a rebuild changes one or both.
  const tag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  const encoding = st.size >= MIN_COMPRESSED_BYTES ? negotiateEncoding(req.headers['accept-encoding']) : null;
  const sibling = encoding ? precompressed(full, encoding, st) : null;
  const headers = {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    // The index names unhashed assets: revalidate both so a rebuild shows at once (a 304 by ETag).
    'cache-control': 'no-cache',
    etag: encodedTag(tag, sibling?.encoding ?? null),
    ...(st.size >= MIN_COMPRESSED_BYTES && { vary: 'Accept-Encoding' }),
  };
  if (matchesTag(req.headers['if-none-match'], tag)) {
    res.writeHead(304, headers).end();
    return true;
  }
  res.writeHead(200, {
    ...headers,
    'content-length': sibling ? sibling.size : st.size,
    ...(sibling && { 'content-encoding': sibling.encoding }),
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(sibling ? sibling.path : full).pipe(res);
  return true;
}

/**
 * The build's compressed copy of a file (`app.js.br`, `app.js.gz`, see dashboard/build.ts), when it
 * exists and is not older than the file; else null, and the file goes uncompressed.
 */
function precompressed(
  full: string,
  encoding: Encoding,
  file: Stats,
): { path: string; size: number; encoding: Encoding } | null {
  const path = `${full}${encoding === 'br' ? '.br' : '.gz'}`;
  try {
    const st = statSync(path);
    return st.isFile() && st.mtimeMs >= file.mtimeMs ? { path, size: st.size, encoding } : null;
  } catch {
    return null;
  }
}

function notFound(res: ServerResponse): true {
  res.writeHead(404, { 'content-type': TYPES['.txt']! }).end('not found');
  return true;
}
