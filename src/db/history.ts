import { listValue, timestampValue } from '@duckdb/node-api';
import type { Database } from './database.ts';
import { RESULT_COLUMNS, toResult } from './slices.ts';
import { Params } from './sql.ts';
import type { Result } from '../domain/types.ts';

/** Runs searched first for one test's latest attempts, per attempt asked for; doubled until enough. */
const RUNS_PER_ATTEMPT = 8;

/**
 * The last `last` attempts of each test (newest by start, then id), oldest first. One test
 * (a test's page) reads only the newest runs when it can prove its latest attempts are all
 * there; several tests choose their attempts on narrow columns, then read those rows within
 * their run-seq range, which the zone maps prune by.
 */
export async function historyByTestIds(
  db: Database,
  ids: readonly string[],
  last: number,
): Promise<Map<string, Result[]>> {
  const out = new Map<string, Result[]>(ids.map((id) => [id, []]));
  const [only] = ids;
  const rows =
    ids.length === 1 && only !== undefined ? await oneTest(db, only, last) : await manyTests(db, ids, last);
  for (const r of rows) out.get(r['test_id'] as string)?.push(toResult(r));
  return out;
}

/**
 * One test's latest attempts. Results sit in run-seq order, so the newest runs are a few
 * row groups: find the `last`-th newest attempt among runs with seq ≥ S, and check that no
 * attempt in an older run is newer than it (a look for one row, pruned by start-time zone
 * maps). Then the answer is the top `last` of those runs alone; otherwise S halves its
 * distance to the first run until it covers every run.
 */
async function oneTest(db: Database, testId: string, last: number) {
  const [bounds] = await db.query<{ lo: bigint | null; hi: bigint | null }>(
    'SELECT min(seq) AS lo, max(seq) AS hi FROM runs',
  );
  const lo = bounds?.lo ?? 0n;
  const hi = bounds?.hi ?? 0n;
  let span = BigInt(last * RUNS_PER_ATTEMPT);
  let from = hi - span;
  while (from > lo && !(await latestWithin(db, testId, last, from))) {
    span *= 2n;
    from = hi - span;
  }
  return db.query(
    `SELECT ${RESULT_COLUMNS} FROM (
       SELECT * FROM results r WHERE r.test_id = $1 AND r.run_seq >= $2
       ORDER BY r.started_at DESC, r.id DESC LIMIT $3
     ) r JOIN runs ru ON ru.seq = r.run_seq ORDER BY r.started_at, r.id`,
    [testId, from > lo ? from : lo, last],
  );
}

/** Whether runs with seq ≥ `from` hold the test's `last` newest attempts. */
async function latestWithin(db: Database, testId: string, last: number, from: bigint): Promise<boolean> {
  const [edge] = await db.query<{ us: bigint; id: bigint }>(
    `SELECT epoch_us(r.started_at) AS us, r.id FROM results r WHERE r.test_id = $1 AND r.run_seq >= $2
     ORDER BY r.started_at DESC, r.id DESC LIMIT 1 OFFSET $3`,
    [testId, from, last - 1],
  );
  if (!edge) return false; // fewer than `last` there: look further back
  const at = timestampValue(edge.us);
  const newer = await db.query(
    `SELECT 1 AS found FROM results r WHERE r.test_id = $1 AND r.run_seq < $2 AND r.started_at >= $3
       AND (r.started_at > $3 OR r.id > $4) LIMIT 1`,
    [testId, from, at, edge.id],
  );
  return newer.length === 0;
}

async function manyTests(db: Database, ids: readonly string[], last: number) {
  const p = new Params();
  const chosen = await db.query<{ id: bigint; run_seq: bigint }>(
    `SELECT r.id, r.run_seq FROM results r WHERE r.test_id IN (${p.list(ids)})
     QUALIFY row_number() OVER (PARTITION BY r.test_id ORDER BY r.started_at DESC, r.id DESC) <= ${p.bind(last)}`,
    p.values,
  );
  if (!chosen.length) return [];
  const seqs = chosen.map((c) => c.run_seq);
  return db.query(
    `SELECT ${RESULT_COLUMNS} FROM results r JOIN runs ru ON ru.seq = r.run_seq
     WHERE r.id IN (SELECT unnest($1::BIGINT[])) AND r.run_seq BETWEEN $2 AND $3
     ORDER BY r.test_id, r.started_at, r.id`,
    [
      listValue(chosen.map((c) => c.id)),
      seqs.reduce((a, b) => (b < a ? b : a)),
      seqs.reduce((a, b) => (b > a ? b : a)),
    ],
  );
}
