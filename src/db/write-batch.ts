import type { DuckDBAppender } from '@duckdb/node-api';
import type { WriteTx } from './database.ts';
import type { ValidBatch, ValidResult } from '../domain/ingest-batch.ts';
import { badInput } from '../domain/errors.ts';
import type { RunId, TestId } from '../domain/ids.ts';
import { refoldRuns } from './rollups.ts';
import { METRICS_TYPE, TAGS_TYPE, metricsValue, tagsValue, toNumber, ts } from './values.ts';

export interface WriteOutcome {
  readonly runSeq: number;
  readonly newRun: boolean;
  readonly accepted: readonly ValidResult[];
  readonly duplicates: number;
  readonly newTests: readonly TestId[];
  readonly dataVersion: number;
}

/** What the writer remembers between batches; updated only after a commit. */
export interface WriterState {
  readonly runs: Map<RunId, { seq: number; project: string }>;
  readonly tests: Set<TestId>;
}

async function withAppender(tx: WriteTx, table: string, fill: (a: DuckDBAppender) => void): Promise<void> {
  const a = await tx.connection.createAppender(table);
  try {
    fill(a);
    a.flushSync();
  } finally {
    a.closeSync();
  }
}

const appendText = (a: DuckDBAppender, v: string | null): void => (v === null ? a.appendNull() : a.appendVarchar(v));

async function meta(tx: WriteTx): Promise<Record<string, number>> {
  const rows = await tx.query<{ key: string; value: bigint }>('SELECT key, value FROM meta');
  return Object.fromEntries(rows.map((r) => [r.key, toNumber(r.value)]));
}

/**
 * Stores one validated batch inside the caller's transaction: the run (new or
 * existing), results not already stored (run + test + attempt), new tests,
 * breaker events; then refolds the run's executions and raises dataVersion.
 */
export async function writeBatch(tx: WriteTx, batch: ValidBatch, state: WriterState, now: Date): Promise<WriteOutcome> {
  const { run } = batch;
  const m = await meta(tx);
  const known = state.runs.get(run.id);
  if (known && known.project !== run.project) {
    throw badInput(`run "${run.id}" already belongs to project "${known.project}"; use a different run id for project "${run.project}"`, { field: 'run.id' });
  }
  const runSeq = known?.seq ?? m['next_run_seq']!;
  if (!known) {
    await withAppender(tx, 'runs', (a) => {
      a.appendBigInt(BigInt(runSeq)); a.appendVarchar(run.id); a.appendVarchar(run.project);
      appendText(a, run.branch); appendText(a, run.commit); a.appendTimestamp(ts(run.startedAt));
      if (run.finishedAt) a.appendTimestamp(ts(run.finishedAt));
      else a.appendNull();
      a.appendMap(tagsValue(run.tags), TAGS_TYPE);
      for (let i = 0; i < 6; i++) a.appendInteger(0); // execution counters, set by refoldRuns
      a.appendNull(); // duration_ms
      a.appendTimestamp(ts(now));
      a.endRow();
    });
  } else if (run.finishedAt) {
    await tx.query('UPDATE runs SET finished_at = greatest(coalesce(finished_at, $2), $2) WHERE seq = $1', [BigInt(runSeq), ts(run.finishedAt)]);
  }

  // Idempotency: (run, test, attempt) already stored, or repeated within this batch.
  const seen = new Set<string>();
  if (known) {
    const rows = await tx.query<{ test_id: string; attempt: number }>('SELECT test_id, attempt FROM results WHERE run_seq = $1', [BigInt(runSeq)]);
    for (const r of rows) seen.add(`${r.test_id}\u001f${r.attempt}`);
  }
  const accepted: ValidResult[] = [];
  let duplicates = 0;
  for (const r of batch.results) {
    const key = `${r.testId}\u001f${r.attempt}`;
    if (seen.has(key)) duplicates++;
    else {
      seen.add(key);
      accepted.push(r);
    }
  }

  const newTests = new Map<TestId, ValidResult>();
  for (const r of accepted) if (!state.tests.has(r.testId) && !newTests.has(r.testId)) newTests.set(r.testId, r);
  if (newTests.size) {
    await withAppender(tx, 'tests', (a) => {
      for (const [id, r] of newTests) {
        a.appendVarchar(id); a.appendVarchar(run.project); a.appendVarchar(r.suite);
        appendText(a, r.className); a.appendVarchar(r.name); a.appendTimestamp(ts(r.startedAt));
        a.endRow();
      }
    });
  }

  const firstId = m['next_result_id']!;
  if (accepted.length) {
    await withAppender(tx, 'results', (a) => {
      accepted.forEach((r, i) => {
        a.appendBigInt(BigInt(firstId + i)); a.appendBigInt(BigInt(runSeq)); a.appendVarchar(r.testId);
        a.appendInteger(r.attempt); a.appendVarchar(r.status); a.appendDouble(r.durationMs);
        a.appendTimestamp(ts(r.startedAt)); a.appendVarchar(run.project); a.appendVarchar(r.suite);
        appendText(a, run.branch); appendText(a, run.commit); appendText(a, r.worker); appendText(a, r.hardware);
        appendText(a, r.message); appendText(a, r.stackTrace);
        a.appendMap(tagsValue(r.tags), TAGS_TYPE); a.appendList(metricsValue(r.metrics), METRICS_TYPE);
        a.endRow();
      });
    });
  }
  if (batch.breakerEvents.length) {
    await withAppender(tx, 'breaker_events', (a) => {
      for (const e of batch.breakerEvents) {
        a.appendBigInt(BigInt(runSeq)); a.appendVarchar(e.name); a.appendVarchar(e.from); a.appendVarchar(e.to);
        a.appendTimestamp(ts(e.at)); appendText(a, e.reason);
        a.endRow();
      }
    });
  }

  if (accepted.length || !known) await refoldRuns(tx, runSeq, runSeq);

  const dataVersion = m['data_version']! + 1;
  await tx.query(
    `UPDATE meta SET value = CASE key
       WHEN 'data_version' THEN $1 WHEN 'next_result_id' THEN $2 WHEN 'next_run_seq' THEN $3 ELSE value END`,
    [BigInt(dataVersion), BigInt(firstId + accepted.length), BigInt(known ? m['next_run_seq']! : runSeq + 1)],
  );
  return { runSeq, newRun: !known, accepted, duplicates, newTests: [...newTests.keys()], dataVersion };
}
