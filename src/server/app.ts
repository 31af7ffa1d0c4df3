import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// A JSON import, so the built CLI (one bundle in dist/) carries the version with it.
import pkg from '../../package.json' with { type: 'json' };
import { schema } from '../../schema/index.ts';
import type { Cluster } from '../cluster/index.ts';
import type { Database } from '../db/database.ts';
import { writeSnapshot } from '../db/snapshot.ts';
import type { AlertEvaluator } from '../domain/alerts.ts';
import type { QueryCache, Store } from '../domain/ports.ts';
import type { WebhookDispatcher } from '../alerts/webhooks.ts';
import type { BufferedPubSub } from '../pubsub/index.ts';
import {
  authFailuresOf,
  isLoopback,
  rateLimitOf,
  settingsOf,
  type AppConfig,
  type Settings,
} from './app-config.ts';
import { openData } from './app-data.ts';
import { createServices } from './app-services.ts';
import { createAuthFailureGate } from './auth-failures.ts';
import { guardSchema, openKeyring, type Keyring } from './auth.ts';
import { createRequestHandler } from './http-pipeline.ts';
import type { Logger } from './logger.ts';
import { createRateLimiter } from './rate-limit.ts';
import type { ResponseCache } from './response-cache.ts';
import { scheduleSnapshots, shutdown } from './shutdown.ts';
import { attachGraphqlWs } from './ws.ts';
import { createAssayYoga, type AssayYoga } from './yoga.ts';

export { isLoopback, type AppConfig };

export const VERSION: string = pkg.version;

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

/** Listens on the configured address; resolves with the URL of /graphql once bound. */
function listenOn(
  server: Server,
  { port, host, db, log }: Settings,
  onListening: () => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      onListening();
      const addr = server.address() as AddressInfo;
      const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}/graphql`;
      log.info('assay gateway listening', { url, db });
      resolve(url);
    });
  });
}

/** What admits a request before GraphQL runs: the rate limit per key, and the limit of failed authentications. */
function admissionOf(config: AppConfig, keysRequired: boolean, now: () => Date) {
  const rateLimit = rateLimitOf(config, keysRequired);
  const limiter = rateLimit && createRateLimiter(rateLimit, () => now().getTime());
  const failures = authFailuresOf(config, keysRequired);
  const authGate = failures ? createAuthFailureGate(failures, () => now().getTime()) : null;
  return { rateLimit, limiter, authGate };
}

/** graphql-ws on the same server, under the same keys, trusted documents and limits as HTTP. */
function attachWs(
  server: Server,
  yoga: AssayYoga,
  config: AppConfig,
  settings: Settings,
  keys: Keyring,
  { rateLimit, limiter, authGate }: ReturnType<typeof admissionOf>,
  cluster: Cluster | null,
): ReturnType<typeof attachGraphqlWs> {
  const security = {
    keyring: keys,
    corsOrigins: settings.corsOrigins,
    trusted: config.trustedDocuments ?? null,
    authFailures: authGate,
  };
  return attachGraphqlWs(server, yoga, config.keepAliveMs, security, {
    limiter,
    requestTimeoutMs: settings.requestTimeoutMs,
    ...(rateLimit && { perSecond: rateLimit.perSecond }),
    ...(cluster && { waitFor: (v: string) => cluster.waitFor(v) }),
  });
}

/**
 * The composition root: settings with their defaults, the data (DuckDB, and a replica's
 * cluster), the API keys, the services over them (caches, pub/sub, metrics, alerts), Yoga,
 * the HTTP request pipeline, graphql-ws on the same server, and a graceful shutdown.
 * No module-level singletons: build as many apps as you like.
 */
export async function createApp(config: AppConfig = {}): Promise<App> {
  const settings = settingsOf(config);
  const { log, now } = settings;
  const { store, cluster, data } = await openData(config, settings);
  const keys = await openKeyring(data, config.auth ?? !isLoopback(settings.host), now);
  const { rateLimit, limiter, authGate } = admissionOf(config, keys.required, now);
  const services = createServices(config, settings, { store, cluster, data }, keys);
  const { cache, pubsub, alerts, responses, metrics, webhooks } = services;
  const yoga = createAssayYoga({
    schema: guardSchema(schema),
    keyring: keys,
    corsOrigins: settings.corsOrigins,
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
  const server = createServer(
    createRequestHandler({
      settings,
      keys,
      rateLimit,
      limiter,
      authGate,
      metrics,
      yoga,
      responses,
      cluster,
      dataVersion: () => store.dataVersion,
      ready: () => ready,
    }),
  );
  const ws = attachWs(server, yoga, config, settings, keys, { rateLimit, limiter, authGate }, cluster);
  const snapshots = scheduleSnapshots(cluster, store.db, config.snapshotDir, settings.snapshotEveryMs, log);
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
      listenOn(server, settings, () => {
        ready = true;
      }),
    close: () => {
      ready = false;
      const parts = { snapshots, pubsub, ws, server, yoga, cluster, alerts, webhooks, store, log };
      closing ??= shutdown({ ...parts, db: settings.db });
      return closing;
    },
  };
}
