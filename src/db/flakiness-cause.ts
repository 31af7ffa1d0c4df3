import { listValue } from '@duckdb/node-api';
import { causeSource, type CauseSource } from './flakiness-cause-source.ts';
import type { Database } from './database.ts';
import { historiesWhole, rollupMayAnswer, rollupTestConds } from './flakiness.ts';
import { Params, resultFilterSql, where } from './sql.ts';
import { toNumber } from './values.ts';
import type {
  EvidenceOptions,
  FlakinessByValue,
  FlakinessValuePool,
  FlakinessValueSums,
} from '../domain/flakiness.ts';
import type { ResultFilter } from '../domain/types.ts';

/**
 * One pass with three grouping sets over the candidate tests' executions (`whereSql`): per test,
 * per (test, worker) and per (test, hardware value). Weights are relative to each test's last
 * stored position (`src.last`: a broadcast join, as flakiness.ts does), rescaled by `toValueSums` so the
 * test's latest execution in the slice weighs 1; `h` is the bound half-life. Rows of kind
 * 'value' where a test has evidence, and of kind 'pool' per value over every candidate test.
 */
const byValueSql = (whereSql: string, h: string, src: CauseSource): string =>
  `WITH ${src.with} x AS (
       SELECT test_id, test_seq, worker, hardware, status IN ('FAILED', 'ERROR') AS failed, evidence, fail_run FROM ${src.executions} ${whereSql}
     ),
     z AS (
       SELECT x.*, pow(2.0, (x.test_seq - s.last_seq) / ${h}) AS w, NOT x.failed OR x.evidence IS NOT NULL AS free
       FROM x JOIN ${src.last} s ON s.test_id = x.test_id
     ),
     g AS MATERIALIZED (
       SELECT test_id, grouping(worker) = 0 AS by_worker, grouping(hardware) = 0 AS by_hardware,
              CASE WHEN grouping(worker) = 0 THEN 'WORKER' ELSE 'HARDWARE' END AS dim,
              CASE WHEN grouping(worker) = 0 THEN worker ELSE hardware END AS value,
              count(*) AS n, count(evidence) AS e, max(test_seq) AS top, max(w) AS top_w,
              coalesce(sum(w) FILTER (WHERE free), 0) AS v, coalesce(sum(w * w) FILTER (WHERE free), 0) AS v2,
              coalesce(sum(w) FILTER (WHERE evidence IS NOT NULL), 0) AS wf,
              max(test_seq) FILTER (WHERE evidence IN ('RETRY', 'SAME_COMMIT')) AS strong_seq,
              list({ 'run': test_seq - fail_run + 1, 'seq': test_seq }) FILTER (WHERE evidence = 'TRANSIENT') AS transient
       FROM z GROUP BY GROUPING SETS ((test_id), (test_id, worker), (test_id, hardware))
     ),
     vals AS (
       SELECT g.*, t.n AS tn, t.e AS te, t.top AS t_top, t.top_w AS t_top_w
       FROM g JOIN (SELECT * FROM g WHERE NOT by_worker AND NOT by_hardware) t ON t.test_id = g.test_id
       WHERE g.by_worker OR g.by_hardware
     )
     SELECT 'value' AS kind, test_id, dim, value, n, e, tn, te, t_top AS top, t_top_w AS top_w, v, v2, wf, strong_seq, transient,
            NULL::DOUBLE AS expected
     FROM vals WHERE e > 0
     UNION ALL
     SELECT 'pool', NULL, dim, value, NULL, sum(e), NULL, sum(te), NULL, NULL, NULL, NULL, NULL, NULL, NULL, sum(te * n / tn)
     FROM vals WHERE te > 0 AND value IS NOT NULL GROUP BY dim, value`;

/**
 * byValueSql's rows from flakiness_value_rollup (flakiness-values.ts) for the candidate tests
 * (`tests`, with `conds` on their flakiness_rollup row `r`): a test's totals are its WORKER rows
 * summed, and `top_w` rescales the sums relative to the row's anchor so the test's latest weighs 1.
 */
const rollupByValueSql = (tests: string, conds: string[], h: string): string =>
  `WITH vals AS (
       SELECT v.test_id, v.dimension AS dim, v.value, v.executions AS n, v.evidence AS e,
              sum(v.executions) FILTER (WHERE v.dimension = 'WORKER') OVER (PARTITION BY v.test_id) AS tn,
              sum(v.evidence) FILTER (WHERE v.dimension = 'WORKER') OVER (PARTITION BY v.test_id) AS te,
              s.last_seq AS top, pow(2.0, (s.last_seq - v.anchor) / ${h}) AS top_w,
              v.sum_v AS v, v.sum_v2 AS v2, v.sum_wf AS wf, v.last_strong_seq AS strong_seq, v.transient
       FROM flakiness_value_rollup v JOIN test_sequence s ON s.test_id = v.test_id JOIN flakiness_rollup r ON r.test_id = v.test_id
       ${where([...conds, `v.test_id IN (SELECT unnest(${tests}::VARCHAR[]))`])}
     )
     SELECT 'value' AS kind, test_id, dim, value, n, e, tn, te, top, top_w, v, v2, wf, strong_seq, transient,
            NULL::DOUBLE AS expected
     FROM vals WHERE e > 0
     UNION ALL
     SELECT 'pool', NULL, dim, value, NULL, sum(e), NULL, sum(te), NULL, NULL, NULL, NULL, NULL, NULL, NULL, sum(te * n / tn)
     FROM vals WHERE te > 0 AND value IS NOT NULL GROUP BY dim, value`;

/** The candidate tests' rows from the rollup, or null when the time bounds cut a history (the caller then reads the executions). */
export async function queryByValueRollup(
  db: Database,
  filter: ResultFilter,
  testIds: readonly string[],
  o: EvidenceOptions,
): Promise<FlakinessByValue | null> {
  if (!(await historiesWhole(db, filter, testIds))) return null;
  const p = new Params();
  // The time bounds were checked above: they cut none of these tests' histories.
  const conds = rollupTestConds(filter, p);
  const tests = p.bind(listValue([...testIds]));
  const rows = await db.query(rollupByValueSql(tests, conds, p.bind(o.halfLife)), p.values);
  return toValueSums(rows, o);
}

type Row = Record<string, unknown>;

/** The query's rows as the per-value sums and pools src/analytics/flaky-cause.ts reads. */
function toValueSums(rows: readonly Row[], o: EvidenceOptions): FlakinessByValue {
  const values: FlakinessValueSums[] = [];
  const pools: FlakinessValuePool[] = [];
  for (const r of rows) {
    const dimension = r['dim'] as 'WORKER' | 'HARDWARE';
    if (r['kind'] === 'pool') {
      pools.push({
        dimension,
        value: r['value'] as string,
        evidence: toNumber(r['e']),
        expected: Number(r['expected']),
        trials: toNumber(r['te']),
      });
      continue;
    }
    const top = toNumber(r['top']);
    const scale = 1 / Number(r['top_w']);
    const strong = r['strong_seq'] === null ? null : toNumber(r['strong_seq']);
    const transient = (r['transient'] as { run: bigint | number; seq: bigint | number }[] | null) ?? [];
    values.push({
      testId: r['test_id'] as string,
      dimension,
      value: (r['value'] as string | null) ?? null,
      testExecutions: toNumber(r['tn']),
      testEvidence: toNumber(r['te']),
      executions: toNumber(r['n']),
      evidence: toNumber(r['e']),
      sumV: Number(r['v']) * scale,
      sumV2: Number(r['v2']) * scale * scale,
      sumWF: Number(r['wf']) * scale,
      strongAge: strong === null ? null : top - strong,
      transientRuns: [
        ...new Set(transient.filter((t) => toNumber(t.seq) >= top - o.recent).map((t) => toNumber(t.run))),
      ],
    });
  }
  return { values, pools };
}

/**
 * The given tests' executions in a slice per worker and per hardware value:
 * counts, weighted sums of the free executions and of the evidence, and the
 * latest evidence, for src/analytics/flaky-cause.ts to find infrastructure
 * causes; rows only where a test has evidence (the rest matter only pooled,
 * which is summed here), so few rows cross. Read from flakiness_value_rollup
 * when the rollups may answer and the time bounds cut none of the tests'
 * histories (as flakiness.ts reads flakiness_rollup), else from the candidate
 * tests' executions, spread over the whole table. Evidence is the kind kept at ingest
 * (`executions.evidence`, judged over the whole history); weights are
 * relative to each test's latest execution in the slice, as in flakiness.ts.
 * With includeInfrastructureFailures, sequences and evidence come from
 * flakiness-cause-source.ts instead, with the marked executions in place.
 */
export async function queryFlakinessByValue(
  db: Database,
  filter: ResultFilter,
  testIds: readonly string[],
  o: EvidenceOptions,
): Promise<FlakinessByValue> {
  if (!testIds.length) return { values: [], pools: [] };
  const whole = rollupMayAnswer(filter, o) ? await queryByValueRollup(db, filter, testIds, o) : null;
  return whole ?? queryByValueFromExecutions(db, filter, testIds, o);
}

/** queryFlakinessByValue from the candidate tests' executions. */
export async function queryByValueFromExecutions(
  db: Database,
  filter: ResultFilter,
  testIds: readonly string[],
  o: EvidenceOptions,
): Promise<FlakinessByValue> {
  const p = new Params();
  const conds = [
    ...resultFilterSql(filter, p),
    "status <> 'SKIPPED'",
    'test_seq IS NOT NULL',
    `test_id IN (SELECT unnest(${p.bind(listValue([...testIds]))}::VARCHAR[]))`,
  ];
  const h = p.bind(o.halfLife);
  const src = causeSource(filter, p, o.maxTransientRun);
  return toValueSums(await db.query(byValueSql(where(conds), h, src), p.values), o);
}
