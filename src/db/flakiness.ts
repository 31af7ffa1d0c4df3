import type { Database } from './database.ts';
import { Params, resultFilterSql, where } from './sql.ts';
import { toNumber } from './values.ts';
import type { FlakinessAggregates } from '../domain/analytics-types.ts';
import type { ResultFilter } from '../domain/types.ts';

export interface FlakinessSqlOptions {
  /** Half-life of the weights, in executions. */
  readonly halfLife: number;
  /** Longest failure run ended by a pass that counts as transient. */
  readonly maxTransientRun: number;
  readonly failingStreak: number;
  /** Executions back from the latest that count as recent. */
  readonly recent: number;
}

/**
 * Sums each test's flakiness evidence over the slice in one statement, from
 * the execution sequences kept at ingest (sequences.ts): hash joins and
 * aggregates only, no sort or window over the fact table. The evidence rules
 * are those of src/analytics/flakiness.ts; positions are the test's
 * sequence numbers, so on a slice that skips some of a test's executions
 * (a branch filter, say) weights count the skipped ones too.
 */
export async function queryFlakinessAggregates(db: Database, filter: ResultFilter, o: FlakinessSqlOptions): Promise<FlakinessAggregates[]> {
  const p = new Params();
  const conds = [...resultFilterSql(filter, p), "status <> 'SKIPPED'", 'test_seq IS NOT NULL'];
  const h = p.bind(o.halfLife);
  const maxRun = p.bind(o.maxTransientRun);
  const streak = p.bind(o.failingStreak);
  const recent = p.bind(o.recent);
  const rows = await db.query(
    `WITH w AS (
       SELECT test_id, test_seq, started_at, commit_sha, status IN ('FAILED', 'ERROR') AS failed, flaky, flipped, ended_fail_run
       FROM executions ${where(conds)}
     ),
     top AS (SELECT test_id, max(test_seq) AS top, min(test_seq) AS bottom FROM w GROUP BY test_id),
     cand AS (SELECT DISTINCT test_id, commit_sha FROM w WHERE failed AND commit_sha IS NOT NULL),
     sc AS (
       SELECT DISTINCT c.test_id, c.commit_sha FROM cand c
       JOIN w ON w.test_id = c.test_id AND w.commit_sha = c.commit_sha AND NOT w.failed
     ),
     scn AS (SELECT test_id, count(*) AS n FROM sc GROUP BY test_id),
     tr AS (
       SELECT test_id, unnest(range(test_seq - ended_fail_run, test_seq)) AS seq, test_seq - ended_fail_run AS run_start
       FROM w WHERE ended_fail_run BETWEEN 1 AND ${maxRun}
     ),
     ev AS (
       SELECT w.*, t.top, t.bottom, pow(2.0, -(t.top - w.test_seq) / ${h}) AS wt,
              CASE WHEN w.flaky THEN 'R'
                   WHEN w.failed AND sc.test_id IS NOT NULL THEN 'S'
                   WHEN w.failed AND tr.seq IS NOT NULL THEN 'T' END AS kind,
              tr.run_start
       FROM w JOIN top t ON t.test_id = w.test_id
       LEFT JOIN sc ON sc.test_id = w.test_id AND sc.commit_sha = w.commit_sha
       LEFT JOIN tr ON tr.test_id = w.test_id AND tr.seq = w.test_seq
     ),
     agg AS (
       SELECT test_id, count(*) AS executions, count(*) FILTER (WHERE failed) AS failures, count(kind) AS flaky_executions,
              sum(wt) AS sum_w, sum(wt * wt) AS sum_w2, coalesce(sum(wt) FILTER (WHERE kind IS NOT NULL), 0) AS sum_wf,
              coalesce(sum(wt) FILTER (WHERE test_seq > bottom), 0) AS flip_w,
              coalesce(sum(wt) FILTER (WHERE test_seq > bottom AND flipped), 0) AS flip_sum,
              arg_max(failed AND kind IS NULL, test_seq, ${streak}) AS latest,
              count(*) FILTER (WHERE kind IN ('R', 'S') AND top - test_seq <= ${recent}) AS recent_strong,
              count(DISTINCT run_start) FILTER (WHERE kind = 'T' AND top - test_seq <= ${recent}) AS recent_transient_runs,
              max(started_at) FILTER (WHERE kind IS NOT NULL) AS last_flake_at
       FROM ev GROUP BY test_id
     )
     SELECT agg.*, coalesce(scn.n, 0) AS inconsistent_commits FROM agg LEFT JOIN scn ON scn.test_id = agg.test_id`,
    p.values,
  );
  return rows.map((r) => {
    const latest = (r['latest'] as boolean[] | null) ?? [];
    return {
      testId: r['test_id'] as string,
      executions: toNumber(r['executions']),
      failures: toNumber(r['failures']),
      flakyExecutions: toNumber(r['flaky_executions']),
      inconsistentCommits: toNumber(r['inconsistent_commits']),
      sumW: Number(r['sum_w']),
      sumW2: Number(r['sum_w2']),
      sumWF: Number(r['sum_wf']),
      flipW: Number(r['flip_w']),
      flipSum: Number(r['flip_sum']),
      failingNow: latest.length === o.failingStreak && latest.every(Boolean),
      recentStrongEvidence: toNumber(r['recent_strong']),
      recentTransientRuns: toNumber(r['recent_transient_runs']),
      lastFlakeAt: (r['last_flake_at'] as Date | null) ?? null,
    };
  });
}
