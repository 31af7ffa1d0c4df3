import { timestampValue, type DuckDBValue } from '@duckdb/node-api';
import type { Database } from './database.ts';
import { Params } from './sql.ts';
import { ts } from './values.ts';
import type { RunPairRow } from '../domain/run-compare.ts';
import { asTestId, type RunId, type TestId } from '../domain/ids.ts';
import type { Status } from '../domain/types.ts';

/** The seq of a run by id, or −1 for none (which no execution has). */
async function runSeq(db: Database, id: RunId): Promise<bigint> {
  const [row] = await db.query<{ seq: bigint }>('SELECT seq FROM runs WHERE id = $1', [id]);
  return row?.seq ?? -1n;
}

/**
 * Each test of either run, side by side: one full join of the two runs' executions. The runs'
 * seqs are bound as values, so the zone maps on run_seq skip every other run's rows.
 */
export async function queryRunPair(db: Database, base: RunId, head: RunId): Promise<RunPairRow[]> {
  const [b, h] = await Promise.all([runSeq(db, base), runSeq(db, head)]);
  const rows = await db.query<{
    test_id: string;
    bs: string | null;
    hs: string | null;
    bms: number | null;
    hms: number | null;
    msg: string | null;
  }>(
    `WITH b AS (SELECT test_id, status, duration_ms FROM executions WHERE run_seq = $1),
          h AS (SELECT test_id, status, duration_ms, message FROM executions WHERE run_seq = $2)
     SELECT coalesce(b.test_id, h.test_id) AS test_id, b.status AS bs, h.status AS hs, b.duration_ms AS bms, h.duration_ms AS hms, h.message AS msg
     FROM b FULL OUTER JOIN h ON b.test_id = h.test_id ORDER BY test_id`,
    [b, h],
  );
  return rows.map((r) => ({
    testId: asTestId(r.test_id),
    baseStatus: r.bs as Status | null,
    headStatus: r.hs as Status | null,
    baseMs: r.bms,
    headMs: r.hms,
    headMessage: r.msg,
  }));
}

/** Runs searched first per duration asked for; doubled until the newest runs are proven to hold every answer. */
const RUNS_PER_DURATION = 8;

/**
 * Each test's last `last` passing durations before `before`, leaving run `exclude` out, oldest
 * first. Executions sit in run-seq order, so the newest runs are a few row groups: the answer
 * is read from runs with seq ≥ S when every test has `last` durations there and no older run
 * holds a passing execution of them newer than the oldest chosen one (a look for one row,
 * pruned by start-time zone maps); otherwise S halves its distance to the first run.
 */
export async function queryDurationHistory(
  db: Database,
  ids: readonly TestId[],
  before: Date,
  exclude: RunId,
  last: number,
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (!ids.length) return out;
  const [[bounds], skip] = await Promise.all([
    db.query<{ lo: bigint | null; hi: bigint | null }>('SELECT min(seq) AS lo, max(seq) AS hi FROM runs'),
    runSeq(db, exclude),
  ]);
  const lo = bounds?.lo ?? 0n;
  const hi = bounds?.hi ?? 0n;
  let span = BigInt(last * RUNS_PER_DURATION);
  for (;;) {
    const from = hi - span > lo ? hi - span : lo;
    const p = new Params();
    const scope = `test_id IN (${p.list(ids)}) AND status = 'PASSED' AND started_at < ${p.bind(ts(before))}
      AND run_seq <> ${p.bind(skip)}`;
    const scoped = { sql: scope, values: [...p.values] };
    const rows = await db.query<{ test_id: string; d: number[]; n: bigint; edge: bigint }>(
      `SELECT test_id, list(duration_ms ORDER BY started_at, run_seq) AS d, count(*) AS n, min(epoch_us(started_at)) AS edge FROM (
         SELECT test_id, started_at, run_seq, duration_ms,
                row_number() OVER (PARTITION BY test_id ORDER BY started_at DESC, run_seq DESC) AS k
         FROM executions WHERE ${scope} AND run_seq >= ${p.bind(from)}
       ) WHERE k <= ${p.bind(last)} GROUP BY test_id`,
      p.values,
    );
    if (from === lo || (await provenWithin(db, rows, { tests: ids.length, last, from }, scoped))) {
      for (const r of rows) out.set(r.test_id, r.d.map(Number));
      return out;
    }
    span *= 2n;
  }
}

/**
 * Whether every test has `last` durations in the runs from `from` on, and no older run holds a
 * passing execution (of `scope`) that starts after the oldest of them.
 */
async function provenWithin(
  db: Database,
  rows: readonly { n: bigint; edge: bigint }[],
  { tests, last, from }: { tests: number; last: number; from: bigint },
  scope: { sql: string; values: readonly DuckDBValue[] },
): Promise<boolean> {
  if (rows.length < tests || rows.some((r) => Number(r.n) < last)) return false;
  const edge = rows.reduce((m, r) => (r.edge < m ? r.edge : m), rows[0]!.edge);
  const n = scope.values.length;
  const older = await db.query(
    `SELECT 1 AS found FROM executions WHERE ${scope.sql} AND run_seq < $${n + 1} AND started_at > $${n + 2} LIMIT 1`,
    [...scope.values, from, timestampValue(edge)],
  );
  return older.length === 0;
}
