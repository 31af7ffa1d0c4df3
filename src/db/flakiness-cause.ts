import { listValue } from '@duckdb/node-api';
import type { Database } from './database.ts';
import { Params, resultFilterSql, where } from './sql.ts';
import { toNumber } from './values.ts';
import type { EvidenceOptions, FlakinessValueSums } from '../domain/analytics-types.ts';
import type { ResultFilter } from '../domain/types.ts';

/**
 * The given tests' executions in a slice per worker and per hardware value:
 * counts, weighted sums of the free executions and of the evidence, and the
 * latest evidence, for src/analytics/flaky-cause.ts to find infrastructure
 * causes. Only for the candidate tests (those classed FLAKY), so the scan is
 * small. Evidence is the kind kept at ingest (`executions.evidence`, judged
 * over the whole history); weights are relative to each test's latest
 * execution in the slice, as in flakiness.ts.
 */
export async function queryFlakinessByValue(db: Database, filter: ResultFilter, testIds: readonly string[], o: EvidenceOptions): Promise<FlakinessValueSums[]> {
  if (!testIds.length) return [];
  const p = new Params();
  const conds = [...resultFilterSql(filter, p), "status <> 'SKIPPED'", 'test_seq IS NOT NULL', `test_id IN (SELECT unnest(${p.bind(listValue([...testIds]))}::VARCHAR[]))`];
  const h = p.bind(o.halfLife);
  // Weights relative to each test's last stored position (a broadcast join, as flakiness.ts does), rescaled
  // below so the test's latest execution in the slice weighs 1; one pass with three grouping sets.
  const rows = await db.query(
    `WITH x AS (
       SELECT test_id, test_seq, worker, hardware, status IN ('FAILED', 'ERROR') AS failed, evidence, fail_run FROM executions ${where(conds)}
     ),
     z AS (
       SELECT x.*, pow(2.0, (x.test_seq - s.last_seq) / ${h}) AS w, NOT x.failed OR x.evidence IS NOT NULL AS free
       FROM x JOIN test_sequence s ON s.test_id = x.test_id
     )
     SELECT test_id, worker, hardware, grouping(worker) = 0 AS by_worker, grouping(hardware) = 0 AS by_hardware,
            count(*) AS n, count(evidence) AS e, max(test_seq) AS top, max(w) AS top_w,
            coalesce(sum(w) FILTER (WHERE free), 0) AS v, coalesce(sum(w * w) FILTER (WHERE free), 0) AS v2,
            coalesce(sum(w) FILTER (WHERE evidence IS NOT NULL), 0) AS wf,
            max(test_seq) FILTER (WHERE evidence IN ('RETRY', 'SAME_COMMIT')) AS strong_seq,
            list({ 'run': test_seq - fail_run + 1, 'seq': test_seq }) FILTER (WHERE evidence = 'TRANSIENT') AS transient
     FROM z GROUP BY GROUPING SETS ((test_id), (test_id, worker), (test_id, hardware))`,
    p.values,
  );
  const tops = new Map<string, { top: number; scale: number }>();
  for (const r of rows) {
    if (r['by_worker'] !== true && r['by_hardware'] !== true) tops.set(r['test_id'] as string, { top: toNumber(r['top']), scale: 1 / Number(r['top_w']) });
  }
  return rows.filter((r) => r['by_worker'] === true || r['by_hardware'] === true).map((r) => {
    const { top, scale } = tops.get(r['test_id'] as string)!;
    const byWorker = r['by_worker'] === true;
    const strong = r['strong_seq'] === null ? null : toNumber(r['strong_seq']);
    const transient = (r['transient'] as { run: bigint | number; seq: bigint | number }[] | null) ?? [];
    return {
      testId: r['test_id'] as string,
      dimension: byWorker ? 'WORKER' : 'HARDWARE',
      value: ((byWorker ? r['worker'] : r['hardware']) as string | null) ?? null,
      executions: toNumber(r['n']),
      evidence: toNumber(r['e']),
      sumV: Number(r['v']) * scale,
      sumV2: Number(r['v2']) * scale * scale,
      sumWF: Number(r['wf']) * scale,
      strongAge: strong === null ? null : top - strong,
      transientRuns: [...new Set(transient.filter((t) => toNumber(t.seq) >= top - o.recent).map((t) => toNumber(t.run)))],
    };
  });
}
