import { hostname } from 'node:os';
import type { ClusterOptions } from '../cluster/index.ts';
import type { StoreOptions } from '../db/store.ts';
import type { WebhookOptions } from '../alerts/webhooks.ts';
import { createLogger, type Logger, type LogLevel } from './logger.ts';
import type { TrustedManifest } from './persisted.ts';
import type { RateLimit } from './rate-limit.ts';
import type { RootFieldLimits } from './root-fields.ts';
import type { OperationLimits } from './yoga.ts';

export interface AppConfig {
  /** DuckDB file, or `:memory:`. @default ':memory:' */
  readonly db?: string;
  /**
   * Reader connections asked for; the database opens at most libuv's thread pool
   * (UV_THREADPOOL_SIZE, 4 unless set) minus one, so a write always finds a thread
   * (src/db/database.ts): 3 with the default pool. @default 4
   */
  readonly readers?: number;
  /**
   * DuckDB's memory limit (`512MB`, `1GiB`, …): larger work spills to `<db>.tmp`. Node's heap
   * and the caches (`cache.maxBytes`, the response cache) come on top. @default '512MB'
   */
  readonly memoryLimit?: string;
  /**
   * The write-ahead log's size at which a commit checkpoints it into the file (DuckDB's
   * `checkpoint_threshold`, src/db/database.ts says what it costs). @default '64MB'
   */
  readonly checkpointThreshold?: string;
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
  /** What one GraphQL operation may ask for (src/server/limits.ts, root-fields.ts, parser-limits.ts). */
  readonly limits?: OperationLimits & RootFieldLimits;
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
   * TIMEOUT. A client that disconnects has its work interrupted the same way. The deadline of a
   * GraphQL multipart request (a `File` upload) starts once its body has been read to the end,
   * so the transfer, bounded by the body limit as the `/ingest/*` uploads are, does not count;
   * what the resolver does after the last byte does. 0: no deadline.
   * @default 30000
   */
  readonly requestTimeoutMs?: number;
}

/** The settings every part of the app reads, with their defaults filled in. */
export interface Settings {
  readonly db: string;
  readonly readers: number;
  readonly host: string;
  readonly port: number;
  readonly dashboard: boolean;
  readonly log: Logger;
  readonly now: () => Date;
  readonly replicaId: string;
  readonly corsOrigins: readonly string[];
  readonly requestTimeoutMs: number;
  readonly requestLogLevel: LogLevel;
  readonly snapshotEveryMs: number;
}

/** AppConfig with its defaults (the rate limit's depends on the keyring: `rateLimitOf`). */
export function settingsOf(config: AppConfig): Settings {
  return {
    db: config.db ?? ':memory:',
    readers: config.readers ?? 4,
    host: config.host ?? '127.0.0.1',
    port: config.port ?? 4000,
    dashboard: config.dashboard ?? true,
    log: config.log ?? createLogger(config.logLevel ?? 'info'),
    now: config.now ?? ((): Date => new Date()),
    replicaId: config.replicaId ?? hostname(),
    corsOrigins: config.corsOrigins ?? [],
    requestTimeoutMs: config.requestTimeoutMs ?? 30_000,
    requestLogLevel: config.requestLogLevel ?? 'info',
    snapshotEveryMs: config.snapshotEveryMs ?? 3_600_000,
  };
}

/** The rate limit: as configured, else 50 a second (bursts of 100) per key when keys are required, else none. */
export function rateLimitOf(config: AppConfig, keysRequired: boolean): RateLimit | null {
  if (config.rateLimit !== undefined) return config.rateLimit;
  return keysRequired ? { perSecond: 50, burst: 100 } : null;
}

/** Failed authentications a minute per client address: as configured, else 30 when keys are required, else none. */
export function authFailuresOf(config: AppConfig, keysRequired: boolean): number | null {
  if (config.authFailuresPerMinute !== undefined) return config.authFailuresPerMinute;
  return keysRequired ? 30 : null;
}

/** Whether `host` is a loopback address (keys are off there unless asked for). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
