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
  const recent = p.bind(o.recent);
  const rows = await db.query(
    `WITH x AS (
       SELECT test_id, test_seq, worker, hardware, status IN ('FAILED', 'ERROR') AS failed, evidence, fail_run FROM executions ${where(conds)}
     ),
     y AS (
       SELECT x.*, t.top FROM x JOIN (SELECT test_id, max(test_seq) AS top FROM x GROUP BY test_id) t ON t.test_id = x.test_id
     ),
     z AS (
       SELECT *, pow(2.0, (test_seq - top) / ${h}) AS w, NOT failed OR evidence IS NOT NULL AS free FROM y
     )
     SELECT test_id, dim, value, count(*) AS n, count(evidence) AS e,
            coalesce(sum(w) FILTER (WHERE free), 0) AS v, coalesce(sum(w * w) FILTER (WHERE free), 0) AS v2,
            coalesce(sum(w) FILTER (WHERE evidence IS NOT NULL), 0) AS wf,
            min(top - test_seq) FILTER (WHERE evidence IN ('RETRY', 'SAME_COMMIT')) AS strong_age,
            coalesce(list(DISTINCT test_seq - fail_run + 1) FILTER (WHERE evidence = 'TRANSIENT' AND test_seq >= top - ${recent}), []) AS transient
     FROM (SELECT *, 'WORKER' AS dim, worker AS value FROM z UNION ALL SELECT *, 'HARDWARE', hardware FROM z)
     GROUP BY test_id, dim, value`,
    p.values,
  );
  return rows.map((r) => ({
    testId: r['test_id'] as string,
    dimension: r['dim'] as 'WORKER' | 'HARDWARE',
    value: (r['value'] as string | null) ?? null,
    executions: toNumber(r['n']),
    evidence: toNumber(r['e']),
    sumV: Number(r['v']),
    sumV2: Number(r['v2']),
    sumWF: Number(r['wf']),
    strongAge: r['strong_age'] === null ? null : toNumber(r['strong_age']),
    transientRuns: ((r['transient'] as (bigint | number)[] | null) ?? []).map(toNumber),
  }));
}
