import type { Database } from './database.ts';
import * as slices from './slices.ts';
import { toNumber } from './values.ts';
import { writeBatch, type WriterState } from './write-batch.ts';
import { asRunId, asTestId } from '../domain/ids.ts';
import type { InfraThresholds } from '../domain/infra-failures.ts';
import type { IngestStore } from '../domain/ingest.ts';
import type { StoredBatch } from '../domain/types.ts';

/** What the single writer remembers between write transactions: the known runs and tests, and the data version. */
export interface WriterMemory {
  readonly state: WriterState;
  dataVersion: number;
}

/** Reads the writer's memory from the database (once, when the store opens). */
export async function loadWriterMemory(db: Database): Promise<WriterMemory> {
  const [runs, tests, version] = await Promise.all([
    db.query<{ id: string; seq: bigint; project: string; branch: string | null; commit_sha: string | null }>(
      'SELECT id, seq, project, branch, commit_sha FROM runs',
    ),
    db.query<{ id: string }>('SELECT id FROM tests'),
    db.query<{ value: bigint }>("SELECT value FROM meta WHERE key = 'data_version'"),
  ]);
  const state: WriterState = {
    runs: new Map(
      runs.map((r) => [
        asRunId(r.id),
        { seq: toNumber(r.seq), project: r.project, branch: r.branch, commit: r.commit_sha },
      ]),
    ),
    tests: new Set(tests.map((t) => asTestId(t.id))),
  };
  return { state, dataVersion: toNumber(version[0]?.value ?? 0) };
}

export interface IngestStoreOptions {
  /** Called inside the ingest transaction just before COMMIT; a throw rolls the batch back. */
  readonly beforeCommit?: (() => void | Promise<void>) | undefined;
  /** Clock for ingested_at stamps. */
  readonly now: () => Date;
  /** What marks a run or worker as an infrastructure failure. */
  readonly infra: InfraThresholds;
}

/** Ingest: one batch per write transaction, then the writer's memory follows what was committed. */
export const ingestStore = (
  db: Database,
  writer: WriterMemory,
  { beforeCommit, now, infra }: IngestStoreOptions,
): IngestStore => ({
  async ingest(batch): Promise<StoredBatch> {
    const { state } = writer;
    const out = await db.write(async (tx) => {
      const w = await writeBatch(tx, batch, state, now(), infra);
      await beforeCommit?.();
      return w;
    });
    // Only after COMMIT: the writer's memory follows what is durable.
    state.runs.set(batch.run.id, {
      seq: out.runSeq,
      project: batch.run.project,
      branch: batch.run.branch,
      commit: batch.run.commit,
    });
    for (const id of out.newTests) state.tests.add(id);
    writer.dataVersion = out.dataVersion;
    // Read back only when the batch did not refold the run (a re-send that stored nothing).
    const run = out.run ?? (await slices.runsByIds(db, [batch.run.id])).get(batch.run.id)!;
    const finals = new Map<string, (typeof out.accepted)[number]>();
    for (const r of out.accepted) {
      const prev = finals.get(r.testId);
      if (!prev || prev.attempt < r.attempt) finals.set(r.testId, r);
    }
    let passed = 0;
    let failed = 0;
    for (const r of finals.values()) {
      if (r.status === 'PASSED') passed++;
      else if (r.status === 'FAILED' || r.status === 'ERROR') failed++;
    }
    return {
      run,
      accepted: out.accepted.length,
      duplicates: out.duplicates,
      passed,
      failed,
      dataVersion: out.dataVersion,
    };
  },
});
