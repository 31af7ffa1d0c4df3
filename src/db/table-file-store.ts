import { applyTableLoad, dropStagedLoad, stageTableLoad } from './bulk-load.ts';
import type { Database } from './database.ts';
import type { WriterMemory } from './ingest-store.ts';
import { exportResults } from './table-file.ts';
import { asRunId, asTestId } from '../domain/ids.ts';
import type { InfraThresholds } from '../domain/infra-failures.ts';
import type { TableFileStore } from '../domain/table-file.ts';

/** Results exported to, and bulk-loaded from, CSV or Parquet files in the table layout. */
export const tableFileStore = (
  db: Database,
  writer: WriterMemory,
  now: () => Date,
  infra: InfraThresholds,
): TableFileStore => ({
  exportResults: (filter, format, file) => exportResults(db, filter, format, file),
  async loadTableFile(file, format) {
    const { newRuns, newTests, ...summary } = await db.stagedWrite({
      stage: (tx) => stageTableLoad(tx, file, format),
      write: (tx, staged) => applyTableLoad(tx, staged, now(), infra),
      cleanup: dropStagedLoad,
    });
    // Only after COMMIT, as for ingest: the writer's memory follows what is durable.
    for (const r of newRuns)
      writer.state.runs.set(asRunId(r.id), {
        seq: r.seq,
        project: r.project,
        branch: r.branch,
        commit: r.commit,
      });
    for (const id of newTests) writer.state.tests.add(asTestId(id));
    writer.dataVersion = summary.dataVersion;
    return summary;
  },
});
