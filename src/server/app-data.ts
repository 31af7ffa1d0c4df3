import { createCluster, type Cluster } from '../cluster/index.ts';
import type { Database } from '../db/database.ts';
import { restoreSnapshot } from '../db/snapshot.ts';
import { openStore } from '../db/store.ts';
import type { Store } from '../domain/ports.ts';
import type { AppConfig, Settings } from './app-config.ts';

export interface AppData {
  /** The local database (reads; with replicas, write through `data`). */
  readonly store: Store & { readonly db: Database };
  /** Set when the app runs as one of several replicas. */
  readonly cluster: Cluster | null;
  /** The store resolvers use: `store` itself, or with replicas the one writing through the shared log. */
  readonly data: Store;
}

/**
 * Opens the data: the DuckDB store (migrated; a replica's new file first restored from the
 * newest snapshot in `snapshotDir`), and with `redis` the cluster that writes through the shared log.
 */
export async function openData(config: AppConfig, settings: Settings): Promise<AppData> {
  const { db, log, now } = settings;
  const restored = config.snapshotDir ? await restoreSnapshot(db, config.snapshotDir) : null;
  if (restored) log.info('database restored from a snapshot', { db, position: restored });
  const store = await openStore({
    path: db,
    readers: settings.readers,
    now,
    ...(config.memoryLimit !== undefined && { memoryLimit: config.memoryLimit }),
    ...(config.checkpointThreshold !== undefined && { checkpointThreshold: config.checkpointThreshold }),
    ...(config.statementTimeoutMs !== undefined && { statementTimeoutMs: config.statementTimeoutMs }),
    ...(config.beforeCommit && { beforeCommit: config.beforeCommit }),
    ...(config.onStatement && { onStatement: config.onStatement }),
    ...(config.infra && { infra: config.infra }),
  });
  const cluster = config.redis
    ? await createCluster({ url: config.redis, replicaId: settings.replicaId, store, log, ...config.cluster })
    : null;
  return { store, cluster, data: cluster?.store ?? store };
}
