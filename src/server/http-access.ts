import type { IncomingMessage } from 'node:http';
import { unauthenticated, type Access } from '../domain/access.ts';
import { bearer, type Keyring } from './keyring.ts';

/**
 * API keys at the HTTP layer: which paths need one, what an upload may store,
 * and the cross-site checks a browser cannot be trusted to make.
 */
/** Paths that answer data or change it: only these need a key (health checks and the dashboard's static files do not). */
export const needsKey = (path: string): boolean =>
  path === '/metrics' || path === '/graphql' || path.startsWith('/graphql/') || isUploadPath(path);

/** Paths that store test results: the `/ingest/*` uploads and `/v1/traces`, the OTLP/HTTP traces path. */
export const isUploadPath = (path: string): boolean =>
  path.startsWith('/ingest/') || path === OTLP_TRACES_PATH;

/** Where an OTLP/HTTP exporter sends traces (the OTLP specification's default path). */
export const OTLP_TRACES_PATH = '/v1/traces';

/**
 * The caller of an HTTP request, checked for its path: /metrics needs `read`
 * on every project, an upload `ingest` on its `?project=`. GraphQL's fields
 * are checked by the guard. Throws UNAUTHENTICATED or FORBIDDEN.
 */
export function authorizeHttp(keyring: Keyring, req: IncomingMessage, path: string): Access {
  const header = req.headers.authorization;
  const secret = bearer(header);
  // A header that is there but not `Bearer <key>` (Basic, two keys, no key) is said as such.
  if (header !== undefined && secret === null)
    throw unauthenticated(
      'The Authorization header must be `Bearer <key>`: one key after the word Bearer, no other scheme.',
    );
  const access = keyring.authenticate(secret);
  if (path === '/metrics') access.require('read', '/metrics', null);
  if (isUploadPath(path)) {
    const project = new URL(req.url ?? '/', 'http://x').searchParams.get('project');
    access.require('ingest', 'an upload', project || null);
  }
  return access;
}

/**
 * Whether a browser page at `origin` may open a WebSocket here: its own
 * origin, or one the operator allowed (--cors-origin). Browsers do not apply
 * CORS to WebSockets, so without this any site could subscribe through a
 * visitor's browser to a gateway on their loopback. Clients that are not
 * browsers send no Origin and pass.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Headers a browser sends cross-site only after a CORS preflight the server must allow. */
const PREFLIGHT_HEADERS = [
  'authorization',
  'apollo-require-preflight',
  'graphql-require-preflight',
  'x-apollo-operation-name',
  'x-assay-csrf',
] as const;

/**
 * A multipart POST is a "simple" request a page on any site may send through a
 * visitor's browser without asking. To /graphql or /ingest/* it must carry a
 * header such a form cannot set (a key, or `apollo-require-preflight: true`,
 * as Apollo's own CSRF prevention asks). Returns the refusal, or null.
 */
export function crossSiteRefusal(req: IncomingMessage, path: string): string | null {
  if (req.method !== 'POST' || !(path === '/graphql' || isUploadPath(path))) return null;
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) return null;
  if (PREFLIGHT_HEADERS.some((h) => req.headers[h] !== undefined)) return null;
  return "a multipart POST needs an Authorization header or `apollo-require-preflight: true` (curl -H 'apollo-require-preflight: true' -F …), so that a page on another site cannot send one through a browser";
}
