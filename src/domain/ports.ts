/**
 * The ports resolvers see: the whole `Store` (every feature's store port, see
 * the feature modules beside this file), the query cache, the per-request
 * loaders, the pub/sub, and `Deps`, what every resolver receives.
 */
import type { ApiKeyAdmin, KeyStore } from './access.ts';
import type { Alert, AlertEvaluator, AlertStore } from './alerts.ts';
import type { BreakerStore } from './breakers.ts';
import type { FailurePatternStore } from './failure-patterns.ts';
import type { FlakinessStore } from './flakiness.ts';
import type { GateStore } from './gate.ts';
import type { InfraFailureStore, RunInfraFailure } from './infra-failures.ts';
import type { QuarantineStore } from './quarantine.ts';
import type { ReplicaStatus, ResponseCacheStats, StoreStatus } from './gateway.ts';
import type { RunId, TestId } from './ids.ts';
import type { IngestStore } from './ingest.ts';
import type { RetentionStore } from './retention.ts';
import type { RunCompareStore } from './run-compare.ts';
import type { SeriesStore } from './series.ts';
import type { SliceStore } from './slices.ts';
import type { TableFileStore } from './table-file.ts';
import type { IngestedEvent, Result, Run, Test, TestStats } from './types.ts';
import type { WorkloadStore } from './workload.ts';

/** What resolvers may ask of the store: every feature's port; src/db implements it over DuckDB. */
export type Store = StoreStatus &
  IngestStore &
  SliceStore &
  SeriesStore &
  FlakinessStore &
  GateStore &
  RetentionStore &
  TableFileStore &
  WorkloadStore &
  FailurePatternStore &
  BreakerStore &
  RunCompareStore &
  AlertStore &
  QuarantineStore &
  InfraFailureStore &
  KeyStore & {
    close(): Promise<void>;
  };

/** Where a database stands in the shared log of writes that replicas apply in order. */
export interface LogPosition {
  /** The last applied entry's id (a Redis stream id), '0-0' before the first. */
  readonly id: string;
  /** Entries applied so far. */
  readonly applied: number;
}

/** A store that records, in the same transaction as a write, the log entry that write applies. */
export type PositionedStore = Store & {
  position(): Promise<LogPosition>;
  /** Runs `write` (at most one write transaction) so that transaction also records `id` as applied. */
  atPosition<T>(id: string, write: () => Promise<T>): Promise<T>;
};

/** Typed topics of the pub/sub. */
export interface Topics {
  ingested: [IngestedEvent];
  alert: [Alert];
}

export interface PubSub {
  /** Synchronous; never waits for, nor throws because of, a subscriber. */
  publish<K extends keyof Topics>(topic: K, ...args: Topics[K]): void;
  /**
   * Events of `topic` published from now on. Each subscription buffers at most `bufferSize`
   * events it has not pulled yet; on overflow the oldest is dropped and `onOverflow` gets the
   * subscription's total of dropped events (policy: src/pubsub/index.ts). Returning the
   * iterator unsubscribes.
   */
  subscribe<K extends keyof Topics>(
    topic: K,
    options?: { readonly bufferSize?: number; readonly onOverflow?: (dropped: number) => void },
  ): AsyncIterable<Topics[K][0]>;
}

/** Per-request batched look-ups (DataLoader); one value or null per key, in key order. */
interface Loader<K, V> {
  load(key: K): Promise<V>;
}

export interface Loaders {
  readonly test: Loader<TestId, Test | null>;
  readonly run: Loader<RunId, Run | null>;
  /** A run's infrastructure-failure marks, null when it has none. */
  readonly runInfraFailure: Loader<RunId, RunInfraFailure | null>;
  readonly testStats: Loader<TestId, TestStats>;
  /** Keyed by test; `last` is fixed per loader instance via `history(last)`. */
  history(last: number): Loader<TestId, readonly Result[]>;
}

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly entries: number;
  readonly bytes: number;
}

/** The cross-request cache in front of analytic queries, keyed by arguments and dataVersion. */
export interface QueryCache {
  /** Returns the cached answer for (kind, args) at the current dataVersion, or computes it once for all concurrent callers. */
  get<T>(kind: string, args: unknown, compute: () => Promise<T>): Promise<T>;
  /**
   * The same cache for a request that asked for fresh answers (`Cache-Control: no-cache`): each
   * get computes its answer anew, or joins one being computed, and keeps it for the requests after.
   */
  refreshing(): QueryCache;
  stats(): CacheStats;
  clear(): void;
}

/** What every resolver receives: the long-lived parts, and the request's loaders. */
export interface Deps {
  readonly store: Store;
  readonly cache: QueryCache;
  readonly pubsub: PubSub;
  readonly loaders: Loaders;
  readonly alerts: AlertEvaluator;
  readonly version: string;
  /** The clock: resolvers read the time only through it, so tests pass the time in. */
  readonly now: () => Date;
  /** This replica's place in the cluster, when the gateway runs as one of several replicas. */
  readonly replica?: { status(): Promise<ReplicaStatus> };
  /** The server's API keys, when it runs as a server (not in the CLI's direct mode). */
  readonly keys?: ApiKeyAdmin;
  /** The response cache's counters, when the server runs one. */
  readonly responses?: { stats(): ResponseCacheStats };
}

/** A resolver's dependencies: its feature's store port `S`, and the parts of Deps named in `K`. */
export type FeatureDeps<S, K extends Exclude<keyof Deps, 'store'> = never> = { readonly store: S } & Pick<
  Deps,
  K
>;
