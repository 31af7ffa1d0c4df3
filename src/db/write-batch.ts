import {
  BIGINT,
  DOUBLE,
  DuckDBDataChunk,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
  type DuckDBAppender,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { WriteTx } from './write-tx.ts';
import type { ValidBatch, ValidResult } from '../domain/ingest.ts';
import { badInput } from '../domain/errors.ts';
import { nextTurn } from '../domain/iterables.ts';
import { DEFAULT_INFRA_THRESHOLDS, type InfraThresholds } from '../domain/infra-failures.ts';
import type { RunId, TestId } from '../domain/ids.ts';
import type { Run } from '../domain/types.ts';
import { placeAttempts } from './attempt-placement.ts';
import { indexMetricValues } from './metric-values.ts';
import { indexFailureAttempts } from './failure-attempts.ts';
import { rollUpBatch } from './batch-rollup.ts';
import { METRICS_TYPE, TAGS_TYPE, metricsValue, tagsValue, toNumber, ts } from './values.ts';

export interface WriteOutcome {
  readonly runSeq: number;
  readonly newRun: boolean;
  readonly accepted: readonly ValidResult[];
  readonly duplicates: number;
  readonly newTests: readonly TestId[];
  readonly dataVersion: number;
  /** How the batch's tests reached their sequences (batch-rollup.ts), or null when nothing was rolled up. */
  readonly paths: { readonly appended: number; readonly late: number } | null;
  /** The run's row as the batch leaves it, when the batch refolded the run's counters (else read it). */
  readonly run: Run | null;
}

/** A stored run's identity: set by its first batch, and what later batches must match. */
interface KnownRun {
  readonly seq: number;
  readonly project: string;
  readonly branch: string | null;
  readonly commit: string | null;
}

/** What the writer remembers between batches; updated only after a commit. */
export interface WriterState {
  readonly runs: Map<RunId, KnownRun>;
  readonly tests: Set<TestId>;
}

async function withAppender(
  tx: WriteTx,
  table: string,
  fill: (a: DuckDBAppender) => void | Promise<void>,
): Promise<void> {
  const a = await tx.connection.createAppender(table);
  try {
    await fill(a);
    a.flushSync();
  } finally {
    a.closeSync();
  }
}

/** Rows per data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2048;

/**
 * Appends whole columns in data chunks: several times faster than the
 * appender's row-by-row calls for wide rows with maps and lists. The columns
 * of each chunk are made when it is appended, and the event loop turns
 * between chunks: converting 50,000 rows is JavaScript work the server
 * should not wait behind.
 */
async function appendColumns(
  tx: WriteTx,
  table: string,
  types: readonly DuckDBType[],
  rows: number,
  columnsOf: (from: number, to: number) => readonly (readonly DuckDBValue[])[],
): Promise<void> {
  await withAppender(tx, table, async (a) => {
    for (let offset = 0; offset < rows; offset += CHUNK_ROWS) {
      if (offset > 0) await nextTurn();
      const n = Math.min(CHUNK_ROWS, rows - offset);
      const chunk = DuckDBDataChunk.create(types, n);
      chunk.setColumns(columnsOf(offset, offset + n));
      a.appendDataChunk(chunk);
    }
  });
}

const RESULT_TYPES: readonly DuckDBType[] = [
  BIGINT,
  BIGINT,
  VARCHAR,
  INTEGER,
  VARCHAR,
  DOUBLE,
  TIMESTAMP,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  TAGS_TYPE,
  METRICS_TYPE,
];

const appendText = (a: DuckDBAppender, v: string | null): void =>
  v === null ? a.appendNull() : a.appendVarchar(v);

async function meta(tx: WriteTx): Promise<Record<string, number>> {
  const rows = await tx.query<{ key: string; value: bigint }>('SELECT key, value FROM meta');
  return Object.fromEntries(rows.map((r) => [r.key, toNumber(r.value)]));
}

/** A later batch of a stored run must carry the run's project, branch and commit (its results carry them). */
function checkSameRun(known: KnownRun, run: ValidBatch['run']): void {
  for (const [field, stored, sent] of [
    ['project', known.project, run.project],
    ['branch', known.branch, run.branch],
    ['commit', known.commit, run.commit],
  ] as const) {
    if (stored !== sent) {
      throw badInput(
        `run "${run.id}" already has ${field} ${stored === null ? 'unset' : `"${stored}"`} but this batch says ${sent === null ? 'none' : `"${sent}"`}; send the same ${field} with every batch of a run, or use a new run id`,
        { field: `run.${field}` },
      );
    }
  }
}

async function insertRun(tx: WriteTx, run: ValidBatch['run'], runSeq: number, now: Date): Promise<void> {
  await withAppender(tx, 'runs', (a) => {
    a.appendBigInt(BigInt(runSeq));
    a.appendVarchar(run.id);
    a.appendVarchar(run.project);
    appendText(a, run.branch);
    appendText(a, run.commit);
    a.appendTimestamp(ts(run.startedAt));
    if (run.finishedAt) a.appendTimestamp(ts(run.finishedAt));
    else a.appendNull();
    a.appendMap(tagsValue(run.tags), TAGS_TYPE);
    for (let i = 0; i < 6; i++) a.appendInteger(0); // execution counters, set by refoldRuns
    a.appendNull(); // duration_ms
    a.appendTimestamp(ts(now));
    a.endRow();
  });
}

async function insertTests(
  tx: WriteTx,
  project: string,
  tests: ReadonlyMap<TestId, ValidResult>,
): Promise<void> {
  if (!tests.size) return;
  let row = 0;
  await withAppender(tx, 'tests', async (a) => {
    for (const [id, r] of tests) {
      // A first batch brings up to 50,000 new tests: let the server answer others now and then.
      if (++row % CHUNK_ROWS === 0) await nextTurn();
      a.appendVarchar(id);
      a.appendVarchar(project);
      a.appendVarchar(r.suite);
      appendText(a, r.className);
      a.appendVarchar(r.name);
      a.appendTimestamp(ts(r.startedAt));
      a.endRow();
    }
  });
}

async function insertResults(
  tx: WriteTx,
  run: ValidBatch['run'],
  runSeq: number,
  firstId: number,
  accepted: readonly ValidResult[],
): Promise<void> {
  if (!accepted.length) return;
  const seq = BigInt(runSeq);
  // Column order of the results table (migrations.ts).
  await appendColumns(tx, 'results', RESULT_TYPES, accepted.length, (from, to) => {
    const rows = accepted.slice(from, to);
    const col = <T extends DuckDBValue>(f: (r: ValidResult, i: number) => T): T[] =>
      rows.map((r, i) => f(r, from + i));
    return [
      col((_r, i) => BigInt(firstId + i)),
      col(() => seq),
      col((r) => r.testId),
      col((r) => r.attempt),
      col((r) => r.status),
      col((r) => r.durationMs),
      col((r) => ts(r.startedAt)),
      col(() => run.project),
      col((r) => r.suite),
      col(() => run.branch),
      col(() => run.commit),
      col((r) => r.worker),
      col((r) => r.hardware),
      col((r) => r.message),
      col((r) => r.stackTrace),
      col((r) => tagsValue(r.tags)),
      col((r) => metricsValue(r.metrics)),
    ];
  });
  if (accepted.some((r) => r.metrics.length > 0)) await indexMetricValues(tx, firstId);
  await indexFailureAttempts(tx, firstId, {
    failures: accepted.some((r) => (r.status === 'FAILED' || r.status === 'ERROR') && !!r.message),
    ran: accepted.some((r) => r.status !== 'SKIPPED'),
  });
}

async function insertBreakerEvents(tx: WriteTx, batch: ValidBatch, runSeq: number): Promise<void> {
  if (!batch.breakerEvents.length) return;
  await withAppender(tx, 'breaker_events', (a) => {
    for (const e of batch.breakerEvents) {
      a.appendBigInt(BigInt(runSeq));
      a.appendVarchar(e.name);
      a.appendVarchar(e.from);
      a.appendVarchar(e.to);
      a.appendTimestamp(ts(e.at));
      appendText(a, e.reason);
      a.endRow();
    }
  });
}

/**
 * Stores one validated batch inside the caller's transaction: the run (new or
 * existing), results not already stored (run + test + attempt), new tests,
 * breaker events; then rolls up the batch's tests (batch-rollup.ts, which
 * judges the run by the `infra` thresholds) and raises dataVersion when
 * anything changed.
 */
export async function writeBatch(
  tx: WriteTx,
  batch: ValidBatch,
  state: WriterState,
  now: Date,
  infra: InfraThresholds = DEFAULT_INFRA_THRESHOLDS,
): Promise<WriteOutcome> {
  const { run } = batch;
  const m = await meta(tx);
  const known = state.runs.get(run.id);
  if (known) checkSameRun(known, run);
  const runSeq = known?.seq ?? m['next_run_seq']!;
  if (!known) await insertRun(tx, run, runSeq, now);
  // A re-sent run changes only when it moves its finish later.
  const finishMoved =
    !!known &&
    !!run.finishedAt &&
    (
      await tx.query(
        'UPDATE runs SET finished_at = $2 WHERE seq = $1 AND (finished_at IS NULL OR finished_at < $2) RETURNING seq',
        [BigInt(runSeq), ts(run.finishedAt)],
      )
    ).length > 0;
  // Idempotency, and attempts of a test that another shard of the run already sent (attempt-placement.ts).
  const { accepted, duplicates } = await placeAttempts(tx, runSeq, !!known, batch.results);
  const newTests = new Map<TestId, ValidResult>();
  for (const r of accepted)
    if (!state.tests.has(r.testId) && !newTests.has(r.testId)) newTests.set(r.testId, r);
  await insertTests(tx, run.project, newTests);
  const firstId = m['next_result_id']!;
  await insertResults(tx, run, runSeq, firstId, accepted);
  await insertBreakerEvents(tx, batch, runSeq);
  const rolled =
    accepted.length || !known
      ? await rollUpBatch(
          tx,
          { seq: runSeq, project: run.project, commit: run.commit },
          { known: !!known, firstResultId: firstId, infra },
        )
      : null;
  const paths = rolled?.paths ?? null;
  const stored = rolled?.run ?? null;

  // Only a batch that changed something raises dataVersion: a re-send of stored results keeps every cache.
  if (known && !accepted.length && !batch.breakerEvents.length && !finishMoved) {
    return {
      runSeq,
      newRun: false,
      accepted,
      duplicates,
      newTests: [],
      dataVersion: m['data_version']!,
      paths,
      run: stored,
    };
  }
  const dataVersion = m['data_version']! + 1;
  await tx.query(
    `UPDATE meta SET value = CASE key
       WHEN 'data_version' THEN $1 WHEN 'next_result_id' THEN $2 WHEN 'next_run_seq' THEN $3 ELSE value END`,
    [BigInt(dataVersion), BigInt(firstId + accepted.length), BigInt(known ? m['next_run_seq']! : runSeq + 1)],
  );
  return {
    runSeq,
    newRun: !known,
    accepted,
    duplicates,
    newTests: [...newTests.keys()],
    dataVersion,
    paths,
    run: stored,
  };
}
