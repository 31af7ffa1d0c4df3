import { alertStore } from './alert-store.ts';
import { breakerStore } from './breaker-store.ts';
import { Database, type DatabaseOptions } from './database.ts';
import { failurePatternStore } from './failure-pattern-store.ts';
import { flakinessStore } from './flakiness-store.ts';
import { gateStore } from './gate-store.ts';
import { infraFailureStore } from './infra-failures.ts';
import { keyStore } from './keys.ts';
import { quarantineStore } from './quarantine.ts';
import { ingestStore, loadWriterMemory } from './ingest-store.ts';
import { retentionStore } from './retention-store.ts';
import { runCompareStore } from './run-compare-store.ts';
import { seriesStore } from './series-store.ts';
import { sliceStore } from './slice-store.ts';
import { tableFileStore } from './table-file-store.ts';
import { workloadStore } from './workload-store.ts';
import { infraThresholds, type InfraThresholds } from '../domain/infra-failures.ts';
import type { PositionedStore } from '../domain/ports.ts';

export interface StoreOptions extends DatabaseOptions {
  /** Called inside the ingest transaction just before COMMIT; a throw rolls the batch back (tests use it to simulate a crash). */
  readonly beforeCommit?: () => void | Promise<void>;
  /** Clock for ingested_at stamps. @default () => new Date() */
  readonly now?: () => Date;
  /** What marks a run or worker as an infrastructure failure. @default DEFAULT_INFRA_THRESHOLDS */
  readonly infra?: Partial<InfraThresholds>;
}

/**
 * Opens (and migrates) the DuckDB store and implements the Store port over it:
 * each feature's port comes from its own `*-store.ts` over the one Database;
 * ingest and retention share the writer's memory (known runs and tests, data version).
 */
export async function openStore(
  options: StoreOptions = {},
): Promise<PositionedStore & { readonly db: Database }> {
  // Thresholds are checked before the file is opened: a bad one leaves nothing open or locked.
  const infra = infraThresholds(options.infra);
  const { beforeCommit, now = () => new Date() } = options;
  const db = await Database.open(options);
  const writer = await loadWriterMemory(db).catch(async (e: unknown) => {
    await db.close();
    throw e;
  });

  return {
    ...ingestStore(db, writer, { beforeCommit, now, infra }),
    ...retentionStore(db, writer),
    ...tableFileStore(db, writer, now, infra),
    ...sliceStore(db),
    ...seriesStore(db),
    ...flakinessStore(db),
    ...gateStore(db),
    ...workloadStore(db),
    ...failurePatternStore(db),
    ...breakerStore(db),
    ...runCompareStore(db),
    ...alertStore(db),
    db,
    get dataVersion() {
      return writer.dataVersion;
    },
    get statements() {
      return db.statements;
    },
    ...quarantineStore(db),
    ...infraFailureStore(db),
    ...keyStore(db),
    position: () => db.position(),
    atPosition: (id, write) => db.atPosition(id, write),
    close: () => db.close(),
  };
}
