import type { Database } from './database.ts';
import type { WriterMemory } from './ingest-store.ts';
import { deleteRunsBefore } from './retention.ts';
import { asRunId, asTestId } from '../domain/ids.ts';
import type { RetentionStore } from '../domain/retention.ts';

/** Retention: deletes old runs in one write transaction, then forgets them in the writer's memory and checkpoints. */
export const retentionStore = (db: Database, writer: WriterMemory): RetentionStore => ({
  async deleteRunsBefore(cutoff, { dryRun = false } = {}) {
    const { runIds, testIds, ...outcome } = await db.write((tx) => deleteRunsBefore(tx, cutoff, dryRun));
    if (dryRun || outcome.runs === 0) return outcome;
    for (const id of runIds) writer.state.runs.delete(asRunId(id));
    for (const id of testIds) writer.state.tests.delete(asTestId(id));
    writer.dataVersion++;
    await db.checkpoint();
    return outcome;
  },
});
