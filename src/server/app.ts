import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
// A JSON import, so the built CLI (one bundle in dist/) carries the version with it.
import pkg from '../../package.json' with { type: 'json' };
import { schema } from '../../schema/index.ts';
import { createQueryCache } from '../cache/query-cache.ts';
import { createCluster, type Cluster, type ClusterOptions } from '../cluster/index.ts';
import { AssayError } from '../domain/errors.ts';
import { openStore, type StoreOptions } from '../db/store.ts';
import { restoreSnapshot, writeSnapshot } from '../db/snapshot.ts';
import { requestSignal, type Database } from '../db/database.ts';
import type { AlertEvaluator } from '../domain/alerts.ts';
import type { QueryCache, Store } from '../domain/ports.ts';
import { createAlertEngine } from '../../resolvers/alert-engine.ts';
import { quarantineAfterIngest } from '../../resolvers/quarantine.ts';
import { createWebhookDispatcher, type WebhookDispatcher, type WebhookOptions } from '../alerts/webhooks.ts';
import { createPubSub, type BufferedPubSub } from '../pubsub/index.ts';
import { createLogger, type Logger, type LogLevel } from './logger.ts';
import { attachGraphqlWs } from './ws.ts';
import { createRateLimiter, type RateLimit } from './rate-limit.ts';
import { createAuthFailureGate } from './auth-failures.ts';
import { bearer, callers, guardSchema, openKeyring, type Keyring } from './auth.ts';
import { authorizeHttp, crossSiteRefusal, isUploadPath, needsKey } from './http-access.ts';
import { createMetrics } from './metrics.ts';
import type { TrustedManifest } from './persisted.ts';
import { DASHBOARD_DIST, serveDashboard } from './dashboard.ts';
import { useResponseCache, type ResponseCache } from './response-cache.ts';
import { createAssayYoga, type AssayYoga, type OperationLimits } from './yoga.ts';

export const VERSION: string = pkg.version;

export interface AppConfig {
  /** DuckDB file, or `:memory:`. @default ':memory:' */
  readonly db?: string;
  /** Reader connections. @default 4 */
  readonly readers?: number;
  /** Longest a read statement may run before DuckDB is interrupted (TIMEOUT). @default 30000 */
  readonly statementTimeoutMs?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 4000 */
  readonly port?: number;
  readonly cache?: {
    readonly maxEntries?: number;
    readonly maxBytes?: number;
    readonly ttlMs?: number;
    readonly now?: () => number;
  };
  readonly limits?: OperationLimits;
  /**
   * graphql-ws keepalive: a ping this often; a client that has not answered by the next one
   * (a stuck dashboard) is disconnected and its subscriptions end. @default 12000
   */
  readonly keepAliveMs?: number;
  /** @default 'info' */
  readonly logLevel?: LogLevel;
  readonly log?: Logger;
  /** Test hook: runs inside every ingest transaction just before COMMIT. */
  readonly beforeCommit?: StoreOptions['beforeCommit'];
  /** Webhook delivery settings (timeouts, retries, backoff, per-destination concurrency, the operator's allow-list of internal hosts; an injectable fetch, lookup and sleep for tests). */
  readonly webhooks?: Omit<WebhookOptions, 'onOutcome' | 'log'>;
  /** Test hook: observes every SQL statement. */
  readonly onStatement?: StoreOptions['onStatement'];
  /** Only these documents may run (Apollo's persisted query manifest; `assay trust` makes one). Unset: any document, and automatic persisted queries. */
  readonly trustedDocuments?: TrustedManifest;
  /** Level of the one log line per request (never its body, headers or keys). @default 'info' */
  readonly requestLogLevel?: LogLevel;
  /** The clock every part reads (report windows, alert and ingest stamps, webhooks). @default () => new Date() */
  readonly now?: () => Date;
  /** Serve the dashboard at `/` (and its assets at `/dashboard/*`); false redirects `/` to GraphiQL. @default true */
  readonly dashboard?: boolean;
  /** What marks a run or worker as an infrastructure failure (src/domain/infra-failures.ts). @default DEFAULT_INFRA_THRESHOLDS */
  readonly infra?: StoreOptions['infra'];
  /**
   * Redis URL of the shared log: this process becomes one of several replicas
   * (src/cluster). Unset: one process, no Redis.
   */
  readonly redis?: string;
  /** This replica's name in `gateway` and the logs. @default os.hostname() */
  readonly replicaId?: string;
  /**
   * A directory the replicas share: a replica whose database file does not
   * exist yet starts from the newest snapshot there; `app.snapshot()` writes one.
   */
  readonly snapshotDir?: string;
  /** A replica with `snapshotDir` writes a snapshot this often; 0 never. @default 3600000 */
  readonly snapshotEveryMs?: number;
  /** Stream key and waits of a replica. */
  readonly cluster?: Pick<
    ClusterOptions,
    'stream' | 'minVersionWaitMs' | 'applyTimeoutMs' | 'claimIdleMs' | 'replicaGoneMs' | 'clock'
  >;
  /**
   * Every request to /graphql, /ingest/* and /metrics needs an API key (src/server/auth.ts).
   * @default true when `host` is not a loopback address, else false
   */
  readonly auth?: boolean;
  /** Origins whose pages may call the API from a browser (CORS allow-list). @default [] (no CORS headers) */
  readonly corsOrigins?: readonly string[];
  /**
   * Requests to /graphql, /ingest/* and /metrics per API key (per client address without keys),
   * answered 429 with Retry-After beyond it; null: no limit.
   * @default { perSecond: 50, burst: 100 } when keys are required, else null
   */
  readonly rateLimit?: RateLimit | null;
  /**
   * Failed authentications a client address may make a minute before it is answered 429 with
   * Retry-After instead of 401 (src/server/auth-failures.ts); null: no limit.
   * @default 30 when keys are required, else null
   */
  readonly authFailuresPerMinute?: number | null;
  /**
   * Longest a GraphQL request over HTTP may take, parse, execution and serialisation together
   * (subscriptions excepted): past it, its DuckDB work is interrupted and it is answered 504
   * TIMEOUT. A client that disconnects has its work interrupted the same way. 0: no deadline.
   * @default 30000
   */
  readonly requestTimeoutMs?: number;
}

export interface App {
  /** The local database (reads; with replicas, write through `data`). */
  readonly store: Store & { readonly db: Database };
  /** The store resolvers use: `store` itself, or with replicas the one writing through the shared log. */
  readonly data: Store;
  /** Set when the app runs as one of several replicas. */
  readonly cluster: Cluster | null;
  /** Writes a snapshot (every table as Parquet, with the log position) to `snapshotDir`. */
  snapshot(): Promise<{ path: string; position: string }>;
  readonly cache: QueryCache;
  /** Whole HTTP responses of data queries by dataVersion (src/server/response-cache.ts). */
  readonly responses: ResponseCache;
  readonly pubsub: BufferedPubSub;
  /** Alert rule evaluation after each ingest; `idle()` waits for it. */
  readonly alerts: AlertEvaluator;
  readonly webhooks: WebhookDispatcher;
  readonly yoga: AssayYoga;
  readonly server: Server;
  readonly log: Logger;
  /** The app's clock (AppConfig.now). */
  readonly now: () => Date;
  /** The API keys this server accepts (create and revoke them here while it runs). */
  readonly keys: Keyring;
  /** Starts listening; resolves with the bound URL of /graphql. */
  listen(): Promise<string>;
  /** Graceful shutdown: stop accepting, close sockets, checkpoint and close DuckDB. */
  close(): Promise<void>;
}

/**
 * The composition root: opens DuckDB, the cache and the pub/sub, and hands them
 * to the GraphQL layer. No module-level singletons: build as many apps as you like.
 */
export async function createApp(config: AppConfig = {}): Promise<App> {
  const {
    db = ':memory:',
    readers = 4,
    host = '127.0.0.1',
    port = 4000,
    logLevel = 'info',
    dashboard = true,
  } = config;
  const log = config.log ?? createLogger(logLevel);
  const now = config.now ?? ((): Date => new Date());
  const restored = config.snapshotDir ? await restoreSnapshot(db, config.snapshotDir) : null;
  if (restored) log.info('database restored from a snapshot', { db, position: restored });
  const store = await openStore({
    path: db,
    readers,
    now,
    ...(config.statementTimeoutMs !== undefined && { statementTimeoutMs: config.statementTimeoutMs }),
    ...(config.beforeCommit && { beforeCommit: config.beforeCommit }),
    ...(config.onStatement && { onStatement: config.onStatement }),
    ...(config.infra && { infra: config.infra }),
  });
  const cluster = config.redis
    ? await createCluster({
        url: config.redis,
        replicaId: config.replicaId ?? hostname(),
        store,
        log,
        ...config.cluster,
      })
    : null;
  const data = cluster?.store ?? store;
  const keys = await openKeyring(store.db, config.auth ?? !isLoopback(host), now);
  const corsOrigins = config.corsOrigins ?? [];
  const rateLimit =
    config.rateLimit !== undefined ? config.rateLimit : keys.required ? { perSecond: 50, burst: 100 } : null;
  const limiter = rateLimit && createRateLimiter(rateLimit, () => now().getTime());
  const requestTimeoutMs = config.requestTimeoutMs ?? 30_000;
  const failures =
    config.authFailuresPerMinute === undefined ? (keys.required ? 30 : null) : config.authFailuresPerMinute;
  const authGate = failures ? createAuthFailureGate(failures, () => now().getTime()) : null;
  const cache = createQueryCache({ dataVersion: () => store.dataVersion, ...config.cache });
  const pubsub = createPubSub(cluster ? { eventTarget: cluster.eventTarget } : {});
  const responses = useResponseCache({
    dataVersion: () => store.dataVersion,
    // Keys for different projects see different answers to the same query.
    ...(keys.required && {
      partition: (request: Request) => {
        try {
          return JSON.stringify(keys.authenticate(bearer(request.headers.get('authorization'))).key.projects);
        } catch {
          return '?';
        }
      },
    }),
  });
  const metrics = createMetrics({
    pubsub,
    cache,
    responses,
    db: store.db,
    dataVersion: () => store.dataVersion,
  });
  const webhooks = createWebhookDispatcher({
    onOutcome: (alertId, delivery) => {
      metrics.webhookOutcome(delivery.status);
      return data.recordDelivery(alertId, delivery);
    },
    log,
    now,
    ...config.webhooks,
  });
  const engine = createAlertEngine({
    store: data,
    pubsub,
    // Replicas deliver through the shared log instead (below), so a replica that dies first loses nothing.
    notify: (alert) => {
      if (!cluster) webhooks.send(alert);
    },
    onError: (error, rule) => log.error('alert rule evaluation failed', { error, rule: rule.id }),
    onEvaluated: (rule, failed) => metrics.alertEvaluated(rule.kind, failed),
    afterIngest: quarantineAfterIngest({ store: data, cache, pubsub, now }),
    onAfterIngestError: (error) => log.error('quarantine evaluation failed', { error }),
  });
  // Replicas evaluate each ingest once in the cluster (src/cluster/evaluations.ts), not where it was taken.
  const alerts: AlertEvaluator = cluster ? { onIngest: () => undefined, idle: () => engine.idle() } : engine;
  cluster?.evaluateAlerts((notice) => {
    engine.onIngest(notice);
    return engine.idle();
  });
  cluster?.deliverAlerts(async (alertId) => {
    const alert = await store.alert(alertId);
    return alert ? webhooks.deliver(alert) : true;
  });
  const yoga = createAssayYoga({
    schema: guardSchema(schema),
    keyring: keys,
    corsOrigins,
    deps: {
      store: data,
      cache,
      pubsub,
      alerts,
      version: VERSION,
      now,
      keys,
      ...(cluster && { replica: cluster }),
    },
    log,
    responses,
    plugins: [metrics.plugin],
    persisted: { trusted: config.trustedDocuments ?? null },
    ...(config.limits && { limits: config.limits }),
  });

  let ready = false;
  /** One structured line per request, when its response ends: id (also sent back as x-request-id), route, status, time, operation, cache. */
  const requestLog = config.requestLogLevel ?? 'info';
  const logRequest = (req: IncomingMessage, res: ServerResponse, route: string): void => {
    if (requestLog === 'silent') return;
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', id);
    const started = performance.now();
    res.once('close', () => {
      const op = metrics.operationOf(req);
      log[requestLog]('request', {
        id,
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(op && { operation: op.operation, outcome: op.outcome }),
        ...(res.getHeader('x-assay-cache') === 'hit' && { cache: 'hit' }),
        ...(!res.writableFinished && { aborted: true }),
      });
    });
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routeOf(path);
    metrics.observeRequest(res, route);
    logRequest(req, res, route);
    const crossSite = crossSiteRefusal(req, path);
    if (crossSite) return refuse(res, new AssayError('BAD_USER_INPUT', crossSite));
    if (needsKey(path) && req.method !== 'OPTIONS') {
      let caller = `address ${req.socket.remoteAddress ?? '?'}`;
      if (keys.required) {
        try {
          const access = authorizeHttp(keys, req, path);
          callers.set(req, access);
          caller = `key ${access.key.id}`;
        } catch (error) {
          const refused = authGate?.refusal(error, req.socket.remoteAddress) ?? { error, retryAfterS: 1 };
          return refuse(res, refused.error, refused.retryAfterS);
        }
      }
      const waitMs = limiter ? limiter.take(caller) : 0;
      if (waitMs > 0)
        return refuse(
          res,
          new AssayError(
            'RATE_LIMITED',
            `Too many requests from this ${caller.split(' ')[0]}: at most ${rateLimit!.perSecond} a second. Retry after the Retry-After header's seconds.`,
          ),
          Math.ceil(waitMs / 1000),
        );
    }
    if (path === '/metrics') {
      metrics.render().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        (error: unknown) => {
          log.error('metrics failed', { error });
          res.writeHead(500).end();
        },
      );
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
    } else if (path === '/readyz') {
      // A degraded replica still answers reads, so it stays in the load balancer.
      const status = !ready ? 'starting' : cluster?.degraded ? 'degraded' : 'ready';
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          status,
          dataVersion: store.dataVersion,
          ...(cluster && { replica: cluster.replicaId }),
        }),
      );
    } else if (dashboard && serveDashboard(DASHBOARD_DIST, req, res, path)) {
      // served
    } else if (path === '/') {
      res.writeHead(302, { location: '/graphql' }).end();
    } else {
      // Uploads may stream a large file for longer: they are bounded by their size instead.
      // A replica's wait for x-assay-min-version counts against the deadline too.
      const minVersion = cluster ? req.headers['x-assay-min-version'] : undefined;
      withDeadline(req, res, route === 'graphql' ? requestTimeoutMs : 0, () =>
        cluster && typeof minVersion === 'string'
          ? cluster.waitFor(minVersion).then(
              () => yoga(req, res),
              (error: unknown) => refuse(res, error),
            )
          : yoga(req, res),
      );
    }
  });
  const ws = attachGraphqlWs(
    server,
    yoga,
    config.keepAliveMs,
    { keyring: keys, corsOrigins, trusted: config.trustedDocuments ?? null, authFailures: authGate },
    {
      limiter,
      requestTimeoutMs,
      ...(rateLimit && { perSecond: rateLimit.perSecond }),
      ...(cluster && { waitFor: (v: string) => cluster.waitFor(v) }),
    },
  );
  const snapshotEveryMs = config.snapshotEveryMs ?? 3_600_000;
  const snapshots =
    cluster && config.snapshotDir && snapshotEveryMs > 0
      ? setInterval(() => {
          writeSnapshot(store.db, config.snapshotDir!)
            .then(async (s) =>
              log.info('snapshot written', { ...s, trimmed: await cluster.trim(s.position) }),
            )
            .catch((error: unknown) => log.error('snapshot or trim failed', { error }));
        }, snapshotEveryMs).unref()
      : null;
  let closing: Promise<void> | null = null;

  return {
    snapshot: () => {
      if (!config.snapshotDir) return Promise.reject(new Error('no snapshotDir configured'));
      return writeSnapshot(store.db, config.snapshotDir);
    },
    store,
    data,
    cluster,
    cache,
    responses,
    pubsub,
    alerts,
    webhooks,
    yoga,
    server,
    log,
    now,
    keys,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          ready = true;
          const addr = server.address() as AddressInfo;
          const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}/graphql`;
          log.info('assay gateway listening', { url, db });
          resolve(url);
        });
      }),
    close: () => {
      closing ??= (async () => {
        ready = false;
        if (snapshots) clearInterval(snapshots);
        // Subscriptions end first: SSE streams and graphql-ws subscribers get their `complete`, not a cut connection.
        pubsub.close();
        await ws.close();
        await new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 5000).unref();
        });
        await yoga.dispose();
        // Stop taking work; deliveries that close() cuts short stay in the log for another replica.
        const stopping = cluster?.stopEvaluating();
        await alerts.idle();
        await webhooks.close();
        await stopping;
        await cluster?.close();
        await store.close();
        log.info('assay gateway stopped', { db });
      })();
      return closing;
    },
  };
}

/** Answers a request the replica cannot serve yet (x-assay-min-version) as GraphQL over HTTP does. */
/** A request's route as a metrics label: a few fixed names, never the raw path. */
function routeOf(path: string): string {
  if (path === '/graphql' || path.startsWith('/graphql/')) return 'graphql';
  if (isUploadPath(path)) return 'ingest';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return path.slice(1);
  if (path === '/' || path.startsWith('/dashboard/')) return 'dashboard';
  return 'other';
}

/** Answers a request refused before GraphQL (a key, a replica's version) as GraphQL over HTTP does; uploads in their own shape. */
function refuse(res: ServerResponse, error: unknown, retryAfterS = 1): void {
  const e =
    error instanceof AssayError
      ? error
      : new AssayError('UNAVAILABLE', 'The replica could not wait for the requested version.');
  const status =
    e.code === 'BAD_USER_INPUT'
      ? 400
      : e.code === 'UNAUTHENTICATED'
        ? 401
        : e.code === 'FORBIDDEN'
          ? 403
          : e.code === 'RATE_LIMITED'
            ? 429
            : 503;
  const upload = isUploadPath((res.req.url ?? '').split('?')[0] ?? '');
  res
    .writeHead(status, {
      'content-type': 'application/json',
      ...((status === 503 || status === 429) && { 'retry-after': String(retryAfterS) }),
      ...(status === 401 && { 'www-authenticate': 'Bearer' }),
    })
    .end(
      JSON.stringify(
        upload
          ? { error: { code: e.code, message: e.message } }
          : { errors: [{ message: e.message, extensions: { code: e.code } }] },
      ),
    );
}

/**
 * Runs a GraphQL request under a signal that aborts when its deadline passes or its client
 * goes away; reads for it (src/db/database.ts) are then interrupted. A request still unanswered
 * at the deadline gets 504 TIMEOUT at once, whatever it was doing (parsing, executing,
 * serialising). Subscriptions over SSE live as long as their client and have no deadline.
 */
function withDeadline(
  req: IncomingMessage,
  res: ServerResponse,
  timeoutMs: number,
  handle: () => unknown,
): void {
  if (String(req.headers.accept ?? '').includes('text/event-stream')) {
    void handle();
    return;
  }
  const controller = new AbortController();
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          const error = new AssayError(
            'TIMEOUT',
            `The request ran longer than its deadline of ${timeoutMs / 1000} s and was stopped. Narrow the slice (a shorter from/to, fewer projects), group by fewer dimensions or ask for fewer fields.`,
          );
          controller.abort(error);
          if (!res.headersSent)
            res
              .writeHead(504, { 'content-type': 'application/json' })
              .end(JSON.stringify({ errors: [{ message: error.message, extensions: { code: 'TIMEOUT' } }] }));
        }, timeoutMs)
      : null;
  res.once('close', () => {
    if (timer) clearTimeout(timer);
    if (!res.writableFinished)
      controller.abort(new AssayError('TIMEOUT', 'The client went away before the answer was sent.'));
  });
  void requestSignal.run(controller.signal, handle);
}

/** Whether `host` is a loopback address (keys are off there unless asked for). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
