import type { WriteTx } from './write-tx.ts';
import { ANCHOR_SPAN, buildValueRollup, H, RECENT } from './flakiness-rollup.ts';

/**
 * `flakiness_value_rollup`: per test and per worker and per hardware value
 * (NULL included), the sums flakiness-cause.ts reads to attribute a test's
 * flaky evidence to where it ran, kept at ingest beside flakiness_rollup so
 * the full-history ranking need not read the candidate tests' executions
 * (spread over the whole table, which is ordered by run). Per row: counts of
 * executions and of evidence, weighted sums Σ 2^((seq − anchor)/h) of the
 * free executions (sum_v, sum_v2) and of the evidence (sum_wf), the latest
 * strong evidence position and the recent transient failures, with the
 * anchor moved and the sums rescaled as flakiness_rollup does (ANCHOR_SPAN).
 * Built from the executions for the tests a scope selects wherever
 * flakiness_rollup is (valueRollupSql in flakiness-rollup.ts); updated in
 * place here for appended tests, from the changes flakiness-append.ts stages.
 */
type Tx = Pick<WriteTx, 'query'>;

/** Migration 15: the table, built from the evidence and sequences already stored. */
export const FLAKINESS_VALUES_MIGRATION = {
  version: 14,
  name: 'flakiness rollup per worker and hardware value',
  sql: `
    -- Per test, dimension ('WORKER' or 'HARDWARE') and value (NULL: none recorded): the sums
    -- flakiness-cause.ts reads, relative to anchor as in flakiness_rollup (src/db/flakiness-values.ts).
    CREATE TABLE flakiness_value_rollup (
      test_id VARCHAR NOT NULL,
      dimension VARCHAR NOT NULL,
      value VARCHAR,
      anchor BIGINT NOT NULL,
      executions BIGINT NOT NULL,
      evidence BIGINT NOT NULL,
      sum_v DOUBLE NOT NULL,
      sum_v2 DOUBLE NOT NULL,
      sum_wf DOUBLE NOT NULL,
      last_strong_seq BIGINT,
      transient STRUCT(run BIGINT, seq BIGINT)[] NOT NULL
    );
  `,
  backfill: buildValueRollup,
} as const;

/**
 * `flakiness_value_delta`: what the run's appended executions (`flakiness_run`) and the evidence
 * changes (`flakiness_changes`, on `changedRuns`) add per test and value. An execution adds
 * one execution; one that is (or turns) evidence adds its evidence and, when a failure, its
 * weight as free; a TRANSIENT failure turning SAME_COMMIT only moves between the lists.
 */
async function stageValueDelta(tx: Tx, runSeq: bigint, changedRuns: readonly bigint[]): Promise<void> {
  const inChanged = changedRuns.length
    ? `e.run_seq IN (${changedRuns.map((_, i) => `$${i + 2}`).join(', ')})`
    : 'false';
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE flakiness_value_delta AS
     WITH c AS (
       SELECT c.*, e.worker, e.hardware FROM flakiness_changes c
       JOIN executions e ON e.run_seq = c.run_seq AND e.test_id = c.test_id WHERE ${inChanged}
     ),
     d AS (
       SELECT x.test_id, x.seq AS top, x.seq, x.worker, x.hardware, 1 AS n, k.kind IS NOT NULL AS gained,
              NOT x.failed OR k.kind IS NOT NULL AS free, k.kind AS kind, NULL::BIGINT AS run_start, NULL::BIGINT AS resolved
       FROM flakiness_run x LEFT JOIN c k ON k.test_id = x.test_id AND k.run_seq = x.run_seq
       UNION ALL
       SELECT c.test_id, x.seq, c.seq, c.worker, c.hardware, 0, c.was IS NULL, c.was IS NULL, c.kind, c.run_start,
              CASE WHEN c.was = 'TRANSIENT' THEN c.seq END
       FROM c JOIN flakiness_run x ON x.test_id = c.test_id WHERE c.run_seq <> $1
     )
     SELECT test_id, CASE WHEN grouping(worker) = 0 THEN 'WORKER' ELSE 'HARDWARE' END AS dimension,
            CASE WHEN grouping(worker) = 0 THEN worker ELSE hardware END AS value,
            any_value(top) AS top, sum(n) AS executions, count(*) FILTER (WHERE gained) AS evidence,
            coalesce(sum(w) FILTER (WHERE free), 0) AS free_w, coalesce(sum(w * w) FILTER (WHERE free), 0) AS free_w2,
            coalesce(sum(w) FILTER (WHERE gained), 0) AS gained_w,
            max(seq) FILTER (WHERE kind IN ('RETRY', 'SAME_COMMIT')) AS strong_seq,
            list({ 'run': run_start, 'seq': seq }) FILTER (WHERE kind = 'TRANSIENT') AS new_transient,
            list(resolved) FILTER (WHERE resolved IS NOT NULL) AS resolved
     FROM (SELECT *, pow(2.0, (seq - top) / ${H}) AS w FROM d) GROUP BY GROUPING SETS ((test_id, worker), (test_id, hardware))`,
    [runSeq, ...changedRuns],
  );
}

const SAME_ROW =
  'r.test_id = d.test_id AND r.dimension = d.dimension AND r.value IS NOT DISTINCT FROM d.value';

/** Applies flakiness_value_delta: new rows for new values, then sums rescaled to the moved anchor plus the delta. */
async function applyValueDelta(tx: Tx): Promise<void> {
  await tx.query(
    `INSERT INTO flakiness_value_rollup
     SELECT test_id, dimension, value, top, 0, 0, 0, 0, 0, NULL, [] FROM flakiness_value_delta d
     WHERE NOT EXISTS (SELECT 1 FROM flakiness_value_rollup r WHERE ${SAME_ROW})`,
  );
  // In SET, the row's columns are its values before the update; `a` is the anchor after it.
  const a = `(CASE WHEN d.top - r.anchor > ${ANCHOR_SPAN} THEN d.top ELSE r.anchor END)`;
  // f rescales the stored sums to the anchor, g the delta's (weighted relative to the test's latest position).
  const f = `pow(2.0, (r.anchor - ${a}) / ${H})`;
  const g = `pow(2.0, (d.top - ${a}) / ${H})`;
  await tx.query(
    `UPDATE flakiness_value_rollup r SET
       anchor = ${a},
       executions = r.executions + d.executions,
       evidence = r.evidence + d.evidence,
       sum_v = r.sum_v * ${f} + d.free_w * ${g},
       sum_v2 = r.sum_v2 * ${f} * ${f} + d.free_w2 * ${g} * ${g},
       sum_wf = r.sum_wf * ${f} + d.gained_w * ${g},
       last_strong_seq = greatest(r.last_strong_seq, d.strong_seq)
     FROM flakiness_value_delta d WHERE ${SAME_ROW}`,
  );
  await tx.query(
    `UPDATE flakiness_value_rollup r SET
       transient = list_filter(
         list_concat(list_filter(r.transient, lambda t: NOT list_contains(coalesce(d.resolved, []), t.seq)), coalesce(d.new_transient, [])),
         lambda t: t.seq >= d.top - ${RECENT})
     FROM flakiness_value_delta d WHERE ${SAME_ROW} AND (d.resolved IS NOT NULL OR d.new_transient IS NOT NULL)`,
  );
}

/**
 * Adds the appended executions of run `runSeq` and the evidence changes
 * flakiness-append.ts staged (`flakiness_run`, `flakiness_changes`, whose
 * runs are `changedRuns`) to flakiness_value_rollup.
 */
export async function addBatchToValueRollup(
  tx: Tx,
  runSeq: bigint,
  changedRuns: readonly bigint[],
): Promise<void> {
  await stageValueDelta(tx, runSeq, changedRuns);
  await applyValueDelta(tx);
}
