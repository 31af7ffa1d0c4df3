import type { Database } from './database.ts';
import { Params, resultFilterSql, where } from './sql.ts';
import { toNumber, ts } from './values.ts';
import {
  DEFAULT_EVIDENCE_OPTIONS,
  type EvidenceOptions,
  type FlakinessAggregates,
} from '../domain/flakiness.ts';
import type { ResultFilter } from '../domain/types.ts';

/** Filter fields the rollup (flakiness-rollup.ts) answers: it holds each test's whole history. */
const ROLLUP_FILTERS = new Set(['project', 'suite', 'testId', 'from', 'to']);

/** Whether the rollup kept at ingest may answer: default options, filtered at most by project, suite, test and time bounds. */
function rollupMayAnswer(filter: ResultFilter, o: EvidenceOptions): boolean {
  const d = DEFAULT_EVIDENCE_OPTIONS;
  const used = Object.entries(filter)
    .filter(([, v]) => v !== null && v !== undefined && (!Array.isArray(v) || v.length > 0))
    .map(([k]) => k);
  return (
    o.halfLife === d.halfLife &&
    o.maxTransientRun === d.maxTransientRun &&
    o.failingStreak === d.failingStreak &&
    o.recent === d.recent &&
    used.every((k) => ROLLUP_FILTERS.has(k))
  );
}

/**
 * Each test's evidence over its whole history, read from the rollup: one row
 * per test, no execution touched. Null when `from`/`to` cut some selected
 * test's history (the caller then sums the slice from the sequences).
 */
export async function queryFlakinessRollup(
  db: Database,
  filter: ResultFilter,
): Promise<FlakinessAggregates[] | null> {
  const { halfLife: h, failingStreak: streak, recent } = DEFAULT_EVIDENCE_OPTIONS;
  const p = new Params();
  const conds = resultFilterSql(
    { project: filter.project, suite: filter.suite, testId: filter.testId },
    p,
    'r',
  );
  const from = filter.from ? p.bind(ts(filter.from)) : 'NULL';
  const to = filter.to ? p.bind(ts(filter.to)) : 'NULL';
  const rows = await db.query(
    `SELECT r.test_id, r.anchor, r.executions, r.failures, r.retries, r.evidence_failures, r.inconsistent_commits,
            r.sum_w, r.sum_w2, r.sum_wf, r.flip_w, r.sum_v, r.sum_v2, r.last_strong_seq, r.last_flake_seq, r.last_flake_at,
            s.last_seq AS top, s.fail_run AS tail_run,
            len(list_distinct(list_transform(list_filter(r.transient, lambda t: t.seq >= s.last_seq - ${recent}), lambda t: t.run))) AS recent_transient_runs,
            bool_and((${from}::TIMESTAMP IS NULL OR r.first_at >= ${from}) AND (${to}::TIMESTAMP IS NULL OR s.last_at < ${to})) OVER () AS whole
     FROM flakiness_rollup r JOIN test_sequence s ON s.test_id = r.test_id ${where(conds)}`,
    p.values,
  );
  if (rows.some((r) => r['whole'] !== true)) return null;
  return rows.map((r) => {
    const top = toNumber(r['top']);
    // Sums are relative to the stored anchor; rescale so the latest execution weighs 1.
    const scale = 2 ** ((toNumber(r['anchor']) - top) / h);
    const sumW = Number(r['sum_w']) * scale;
    const lastFlake = r['last_flake_seq'] === null ? 0 : toNumber(r['last_flake_seq']);
    return {
      testId: r['test_id'] as string,
      executions: toNumber(r['executions']),
      failures: toNumber(r['failures']),
      flakyExecutions: toNumber(r['retries']) + toNumber(r['evidence_failures']),
      inconsistentCommits: toNumber(r['inconsistent_commits']),
      sumW,
      sumW2: Number(r['sum_w2']) * scale * scale,
      sumV: Number(r['sum_v']) * scale,
      sumV2: Number(r['sum_v2']) * scale * scale,
      sumWF: Number(r['sum_wf']) * scale,
      // Every execution but the first (position 1) can flip.
      flipW: sumW - 2 ** ((1 - top) / h),
      flipSum: Number(r['flip_w']) * scale,
      // The latest `streak` executions failed (the failure run is that long) and none of them is evidence.
      failingNow: toNumber(r['tail_run']) >= streak && lastFlake <= top - streak,
      recentStrongEvidence:
        r['last_strong_seq'] !== null && toNumber(r['last_strong_seq']) >= top - recent ? 1 : 0,
      recentTransientRuns: toNumber(r['recent_transient_runs']),
      lastFlakeAt: (r['last_flake_at'] as Date | null) ?? null,
    };
  });
}

/** Each test's evidence over a slice: from the rollup when it answers, else summed from the sequences. */
export async function flakinessAggregates(
  db: Database,
  filter: ResultFilter,
  o: EvidenceOptions,
): Promise<FlakinessAggregates[]> {
  const whole = rollupMayAnswer(filter, o) ? await queryFlakinessRollup(db, filter) : null;
  return whole ?? queryFlakinessAggregates(db, filter, o);
}

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
export async function queryFlakinessAggregates(
  db: Database,
  filter: ResultFilter,
  o: FlakinessSqlOptions,
): Promise<FlakinessAggregates[]> {
  const p = new Params();
  const conds = [...resultFilterSql(filter, p), "status <> 'SKIPPED'", 'test_seq IS NOT NULL'];
  const h = p.bind(o.halfLife);
  const maxRun = p.bind(o.maxTransientRun);
  const streak = p.bind(o.failingStreak);
  // Weights are taken relative to each test's last stored position (test_sequence, a few
  // thousand rows, so the join is a broadcast): 2^((seq − anchor)/h) differs from the
  // definition's 2^((seq − top)/h) by one factor per test, which cancels in every ratio
  // (score, flip rate, n_eff); "recent" is judged against top after aggregation.
  // Two aggregates: one over every execution (weights, flips, retries, the latest ones),
  // one over the failed executions only (same-commit and transient evidence, which only
  // failures can be), so the joins that find that evidence touch a few rows, not all.
  const rows = await db.query(
    `WITH w AS NOT MATERIALIZED (
       SELECT test_id, test_seq, started_at, commit_sha, status IN ('FAILED', 'ERROR') AS failed, flaky, flipped, ended_fail_run
       FROM executions ${where(conds)}
     ),
     weighted AS NOT MATERIALIZED (
       SELECT w.*, pow(2.0, (w.test_seq - s.last_seq) / ${h}) AS wt FROM w JOIN test_sequence s ON s.test_id = w.test_id
     ),
     a AS (
       SELECT test_id, count(*) AS executions, count(*) FILTER (WHERE failed) AS failures,
              count(*) FILTER (WHERE flaky) AS retry_executions,
              sum(wt) AS sum_w, sum(wt * wt) AS sum_w2, coalesce(sum(wt) FILTER (WHERE flaky), 0) AS sum_wr,
              coalesce(sum(wt) FILTER (WHERE NOT failed), 0) AS sum_wp, coalesce(sum(wt * wt) FILTER (WHERE NOT failed), 0) AS sum_wp2,
              sum(wt) FILTER (WHERE flipped) AS flipped_w, arg_min(wt, test_seq) AS first_w, arg_min(flipped, test_seq) AS first_flipped,
              max(test_seq) AS top, max(wt) AS top_w,
              arg_max({ 'seq': test_seq, 'failed': failed }, test_seq, ${streak}) AS latest,
              max(test_seq) FILTER (WHERE flaky) AS last_retry, max(started_at) FILTER (WHERE flaky) AS last_retry_at
       FROM weighted GROUP BY test_id
     ),
     f AS (SELECT * FROM weighted WHERE failed),
     cand AS (SELECT DISTINCT test_id, commit_sha FROM f WHERE commit_sha IS NOT NULL),
     sc AS (
       SELECT DISTINCT c.test_id, c.commit_sha FROM cand c
       JOIN w ON w.test_id = c.test_id AND w.commit_sha = c.commit_sha AND NOT w.failed
     ),
     scn AS (SELECT test_id, count(*) AS n FROM sc GROUP BY test_id),
     tr AS (
       SELECT test_id, unnest(range(test_seq - ended_fail_run, test_seq)) AS seq, test_seq - ended_fail_run AS run_start
       FROM w WHERE ended_fail_run BETWEEN 1 AND ${maxRun}
     ),
     fe AS (
       SELECT f.test_id, f.test_seq, f.started_at, f.wt,
              CASE WHEN sc.test_id IS NOT NULL THEN 'S' WHEN tr.seq IS NOT NULL THEN 'T' END AS kind, tr.run_start
       FROM f
       LEFT JOIN sc ON sc.test_id = f.test_id AND sc.commit_sha = f.commit_sha
       LEFT JOIN tr ON tr.test_id = f.test_id AND tr.seq = f.test_seq
     ),
     b AS (
       SELECT test_id, count(kind) AS evidence_failures, coalesce(sum(wt) FILTER (WHERE kind IS NOT NULL), 0) AS sum_wst,
              coalesce(sum(wt * wt) FILTER (WHERE kind IS NOT NULL), 0) AS sum_wst2,
              max(test_seq) FILTER (WHERE kind = 'S') AS last_same_commit,
              list({ 'run': run_start, 'seq': test_seq }) FILTER (WHERE kind = 'T') AS transient,
              list(test_seq) FILTER (WHERE kind IS NOT NULL) AS evidence_seqs,
              max(started_at) FILTER (WHERE kind IS NOT NULL) AS last_st_at
       FROM fe GROUP BY test_id
     )
     SELECT a.*, coalesce(b.evidence_failures, 0) AS evidence_failures, coalesce(b.sum_wst, 0) AS sum_wst, coalesce(b.sum_wst2, 0) AS sum_wst2, b.last_same_commit,
            b.transient, b.evidence_seqs, b.last_st_at, coalesce(scn.n, 0) AS inconsistent_commits
     FROM a LEFT JOIN b ON b.test_id = a.test_id LEFT JOIN scn ON scn.test_id = a.test_id`,
    p.values,
  );
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : toNumber(v));
  const later = (a: Date | null, b: Date | null): Date | null => (!a ? b : !b ? a : a > b ? a : b);
  return rows.map((r) => {
    const top = toNumber(r['top']);
    const recentFrom = top - o.recent;
    const evidence = new Set(((r['evidence_seqs'] as (bigint | number)[] | null) ?? []).map(toNumber));
    // The latest executions all failed and none of them is evidence (a retry pass never failed).
    const latest = (r['latest'] as { seq: bigint | number; failed: boolean }[] | null) ?? [];
    const failingNow =
      latest.length === o.failingStreak && latest.every((e) => e.failed && !evidence.has(toNumber(e.seq)));
    const transientRuns = new Set(
      ((r['transient'] as { run: bigint | number; seq: bigint | number }[] | null) ?? [])
        .filter((t) => toNumber(t.seq) >= recentFrom)
        .map((t) => toNumber(t.run)),
    );
    const lastStrong = Math.max(
      num(r['last_retry']) ?? Number.NEGATIVE_INFINITY,
      num(r['last_same_commit']) ?? Number.NEGATIVE_INFINITY,
    );
    // Rescale so the latest execution weighs 1, as in the definition (ratios do not change).
    const scale = 1 / Number(r['top_w']);
    const sumW = Number(r['sum_w']) * scale;
    const firstW = Number(r['first_w']) * scale;
    return {
      testId: r['test_id'] as string,
      executions: toNumber(r['executions']),
      failures: toNumber(r['failures']),
      flakyExecutions: toNumber(r['retry_executions']) + toNumber(r['evidence_failures']),
      inconsistentCommits: toNumber(r['inconsistent_commits']),
      sumW,
      sumW2: Number(r['sum_w2']) * scale * scale,
      // Free executions: the passes (retry passes included) and the failures that are evidence.
      sumV: (Number(r['sum_wp']) + Number(r['sum_wst'])) * scale,
      sumV2: (Number(r['sum_wp2']) + Number(r['sum_wst2'])) * scale * scale,
      sumWF: (Number(r['sum_wr']) + Number(r['sum_wst'])) * scale,
      flipW: sumW - firstW,
      flipSum: (Number(r['flipped_w'] ?? 0) - (r['first_flipped'] ? Number(r['first_w']) : 0)) * scale,
      failingNow,
      recentStrongEvidence: lastStrong >= recentFrom ? 1 : 0,
      recentTransientRuns: transientRuns.size,
      lastFlakeAt: later(
        (r['last_retry_at'] as Date | null) ?? null,
        (r['last_st_at'] as Date | null) ?? null,
      ),
    };
  });
}
