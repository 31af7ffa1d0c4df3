/** What the `gateway` query reports: the store's counters, the replica's place in the cluster, the caches. */
import type { SliceStore } from './slices.ts';

/** The store's counters. */
export interface StoreStatus {
  /** Rises with every committed ingest; caches key on it. */
  readonly dataVersion: number;
  /** SQL statements run since the store opened. */
  readonly statements: number;
}

/** What the `gateway` query reads of the store. */
export type GatewayStore = StoreStatus & Pick<SliceStore, 'counts'>;

/** How one replica stands in the cluster (the `gateway` query). */
export interface ReplicaStatus {
  readonly id: string;
  /** The Redis URL, password hidden. */
  readonly redis: string;
  readonly position: string;
  readonly applied: number;
  /** The stream's last entry id; null while Redis cannot be reached. */
  readonly head: string | null;
  /** Entries in the stream this replica has not applied yet; null while Redis cannot be reached. */
  readonly lag: number | null;
  /** Redis cannot be reached: writes are refused, reads answer from the local database. */
  readonly degraded: boolean;
}

/** How the whole-response cache in front of GraphQL is doing (src/server/response-cache.ts). */
export interface ResponseCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly entries: number;
  /** Bytes of the cached bodies and their compressed copies. */
  readonly bytes: number;
}
