import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Cluster } from '../cluster/index.ts';
import { AssayError } from '../domain/errors.ts';
import type { Settings } from './app-config.ts';
import { callers, type Keyring } from './auth.ts';
import { compress, MIN_COMPRESSED_BYTES, negotiateEncoding } from './compression.ts';
import { DASHBOARD_DIST, serveDashboard } from './dashboard.ts';
import { withDeadline } from './deadline.ts';
import type { AuthFailureGate } from './auth-failures.ts';
import { authorizeHttp, crossSiteRefusal, isUploadPath, needsKey } from './http-access.ts';
import type { Metrics } from './metrics.ts';
import type { RateLimiter, RateLimit } from './rate-limit.ts';
import { refuse } from './refuse.ts';
import { requestLogger } from './request-log.ts';
import type { ResponseCache } from './response-cache.ts';
import type { AssayYoga } from './yoga.ts';

/** What the HTTP pipeline hands requests to, and what it checks them against. */
export interface PipelineParts {
  readonly settings: Settings;
  readonly keys: Keyring;
  readonly rateLimit: RateLimit | null;
  readonly limiter: RateLimiter | null;
  /** The per-address limit of failed authentications (429 instead of 401 past it). */
  readonly authGate: AuthFailureGate | null;
  readonly metrics: Metrics;
  readonly yoga: AssayYoga;
  /** The whole-response cache, whose GET hits are answered here, before Yoga. */
  readonly responses: ResponseCache;
  readonly cluster: Cluster | null;
  readonly dataVersion: () => number;
  /** Whether the server is listening and not closing (/readyz). */
  readonly ready: () => boolean;
}

/** A request's route as a metrics label: a few fixed names, never the raw path. */
function routeOf(path: string): string {
  if (path === '/graphql' || path.startsWith('/graphql/')) return 'graphql';
  if (isUploadPath(path)) return 'ingest';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return path.slice(1);
  if (path === '/' || path.startsWith('/dashboard/')) return 'dashboard';
  return 'other';
}

/**
 * Admits a request to a path that needs a key (/graphql, /metrics, the upload paths): its key
 * when keys are required, then the rate limit per key (per client address without keys).
 * Returns false when it has answered the request with a refusal.
 */
function admit(req: IncomingMessage, res: ServerResponse, path: string, parts: PipelineParts): boolean {
  const { keys, limiter, rateLimit } = parts;
  let caller = `address ${req.socket.remoteAddress ?? '?'}`;
  if (keys.required) {
    try {
      const access = authorizeHttp(keys, req, path);
      callers.set(req, access);
      caller = `key ${access.key.id}`;
    } catch (error) {
      const refused = parts.authGate?.refusal(error, req.socket.remoteAddress) ?? { error, retryAfterS: 1 };
      refuse(res, refused.error, refused.retryAfterS);
      return false;
    }
  }
  const waitMs = limiter && rateLimit ? limiter.take(caller) : 0;
  if (waitMs <= 0 || !rateLimit) return true;
  const message = `Too many requests from this ${caller.split(' ')[0]}: at most ${rateLimit.perSecond} a second. Retry after the Retry-After header's seconds.`;
  refuse(res, new AssayError('RATE_LIMITED', message), Math.ceil(waitMs / 1000));
  return false;
}

/** The Prometheus text, compressed with br or gzip when the client accepts either (scrapers send gzip). */
async function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: Metrics): Promise<void> {
  const { contentType, body } = await metrics.render();
  const text = Buffer.from(body, 'utf8');
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  const headers = { 'content-type': contentType, vary: 'Accept-Encoding' };
  if (!encoding || text.length < MIN_COMPRESSED_BYTES) return void res.writeHead(200, headers).end(text);
  const encoded = await compress(text, encoding);
  res
    .writeHead(200, { ...headers, 'content-encoding': encoding, 'content-length': encoded.length })
    .end(encoded);
}

/** /readyz: 200 once listening (a degraded replica still answers reads, so it stays in the load balancer). */
function serveReadiness(res: ServerResponse, parts: PipelineParts): void {
  const { cluster } = parts;
  const ready = parts.ready();
  const status = !ready ? 'starting' : cluster?.degraded ? 'degraded' : 'ready';
  res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      status,
      dataVersion: parts.dataVersion(),
      ...(cluster && { replica: cluster.replicaId }),
    }),
  );
}

/**
 * GraphQL and the upload paths, through Yoga. Uploads may stream a large file for longer: they
 * are bounded by their size instead of the deadline. A replica's wait for x-assay-min-version
 * counts against the deadline too.
 */
function serveYoga(req: IncomingMessage, res: ServerResponse, route: string, parts: PipelineParts): void {
  const { cluster, yoga } = parts;
  const minVersion = cluster ? req.headers['x-assay-min-version'] : undefined;
  withDeadline(req, res, route === 'graphql' ? parts.settings.requestTimeoutMs : 0, () =>
    cluster && typeof minVersion === 'string'
      ? cluster.waitFor(minVersion).then(
          () => yoga(req, res),
          (error: unknown) => refuse(res, error),
        )
      : yoga(req, res),
  );
}

/**
 * The HTTP request pipeline: metrics and the request log for every request, the cross-site
 * check, the key and the rate limit for the paths that need a key, then the route: /metrics,
 * /healthz, /readyz, the dashboard, a GET the response cache holds, and everything else through
 * Yoga under the deadline.
 */
export function createRequestHandler(parts: PipelineParts): RequestListener {
  const { settings, metrics } = parts;
  const logRequest = requestLogger(settings.log, settings.requestLogLevel, metrics);
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routeOf(path);
    metrics.observeRequest(res, route);
    logRequest(req, res, route);
    const crossSite = crossSiteRefusal(req, path);
    if (crossSite) return refuse(res, new AssayError('BAD_USER_INPUT', crossSite));
    if (needsKey(path) && req.method !== 'OPTIONS' && !admit(req, res, path, parts)) return;
    if (path === '/metrics') {
      serveMetrics(req, res, metrics).catch((error: unknown) => {
        settings.log.error('metrics failed', { error });
        res.writeHead(500).end();
      });
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
    } else if (path === '/readyz') {
      serveReadiness(res, parts);
    } else if (settings.dashboard && serveDashboard(DASHBOARD_DIST, req, res, path)) {
      // served
    } else if (path === '/') {
      res.writeHead(302, { location: '/graphql' }).end();
    } else if (path === '/graphql' && parts.responses.serveHit(req, res)) {
      // a cached GET answered as it was stored, without the fetch layer's per-request objects
    } else serveYoga(req, res, route, parts);
  };
}
