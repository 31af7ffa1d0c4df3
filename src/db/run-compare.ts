import type { Database } from './database.ts';
import { Params } from './sql.ts';
import { ts } from './values.ts';
import type { RunPairRow } from '../domain/run-compare.ts';
import { asTestId, type RunId, type TestId } from '../domain/ids.ts';
import type { Status } from '../domain/types.ts';

/** Each test of either run, side by side: one full join of the two runs' executions. */
export async function queryRunPair(db: Database, base: RunId, head: RunId): Promise<RunPairRow[]> {
  const p = new Params();
  const b = p.bind(base);
  const h = p.bind(head);
  const rows = await db.query<{
    test_id: string;
    bs: string | null;
    hs: string | null;
    bms: number | null;
    hms: number | null;
    msg: string | null;
  }>(
    `WITH b AS (SELECT test_id, status, duration_ms FROM executions WHERE run_seq = (SELECT seq FROM runs WHERE id = ${b})),
          h AS (SELECT test_id, status, duration_ms, message FROM executions WHERE run_seq = (SELECT seq FROM runs WHERE id = ${h}))
     SELECT coalesce(b.test_id, h.test_id) AS test_id, b.status AS bs, h.status AS hs, b.duration_ms AS bms, h.duration_ms AS hms, h.message AS msg
     FROM b FULL OUTER JOIN h ON b.test_id = h.test_id ORDER BY test_id`,
    p.values,
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

/** Each test's last `last` passing durations before `before`, leaving run `exclude` out, oldest first. */
export async function queryDurationHistory(
  db: Database,
  ids: readonly TestId[],
  before: Date,
  exclude: RunId,
  last: number,
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (!ids.length) return out;
  const p = new Params();
  const rows = await db.query<{ test_id: string; d: number[] }>(
    `SELECT test_id, list(duration_ms ORDER BY started_at) AS d FROM (
       SELECT test_id, started_at, duration_ms, row_number() OVER (PARTITION BY test_id ORDER BY started_at DESC, run_seq DESC) AS k
       FROM executions
       WHERE test_id IN (${p.list(ids)}) AND status = 'PASSED' AND started_at < ${p.bind(ts(before))}
         AND run_seq <> coalesce((SELECT seq FROM runs WHERE id = ${p.bind(exclude)}), -1)
     ) WHERE k <= ${p.bind(last)} GROUP BY test_id`,
    p.values,
  );
  for (const r of rows) out.set(r.test_id, r.d.map(Number));
  return out;
}
