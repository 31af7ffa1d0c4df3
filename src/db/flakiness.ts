import { listValue } from '@duckdb/node-api';
import type { Database } from './database.ts';
import { queryFlakinessAggregates, selectsWholeTestsOrTime } from './flakiness-sequences.ts';
import { Params, resultFilterSql, where } from './sql.ts';
import { toNumber, ts } from './values.ts';
import {
  DEFAULT_EVIDENCE_OPTIONS,
  type EvidenceOptions,
  type FlakinessAggregates,
} from '../domain/flakiness.ts';
import type { ResultFilter } from '../domain/types.ts';

/**
 * Whether the rollups kept at ingest may answer: default options, filtered at most by project,
 * suite, test and time bounds (selectsWholeTestsOrTime). The rollup (flakiness-rollup.ts) holds each
 * test's whole history, without the executions of infrastructure failures
 * (includeInfrastructureFailures: true is read from the executions); time bounds it answers only
 * when they cut no history (historiesWhole).
 */
export function rollupMayAnswer(filter: ResultFilter, o: EvidenceOptions): boolean {
  const d = DEFAULT_EVIDENCE_OPTIONS;
  return (
    o.halfLife === d.halfLife &&
    o.maxTransientRun === d.maxTransientRun &&
    o.failingStreak === d.failingStreak &&
    o.recent === d.recent &&
    selectsWholeTestsOrTime(filter)
  );
}

/** A per-test rollup row `r`'s conditions from `filter`: its project, suite and test (time bounds: historiesWhole). */
export function rollupTestConds(filter: ResultFilter, p: Params): string[] {
  return resultFilterSql({ project: filter.project, suite: filter.suite, testId: filter.testId }, p, 'r');
}

/**
 * Whether `from`/`to` leave every selected test's history whole (of `testIds` only, when given),
 * so that the rollups answer: one aggregate over the rollup's rows (one per test), asked before
 * they are read, so a window that cuts some history (the dashboard's last 30 days) costs this
 * instead of a read thrown away.
 */
export async function historiesWhole(
  db: Database,
  filter: ResultFilter,
  testIds?: readonly string[],
): Promise<boolean> {
  if (!filter.from && !filter.to) return true;
  const p = new Params();
  const conds = rollupTestConds(filter, p);
  const from = filter.from ? p.bind(ts(filter.from)) : 'NULL';
  const to = filter.to ? p.bind(ts(filter.to)) : 'NULL';
  if (testIds) conds.push(`r.test_id IN (SELECT unnest(${p.bind(listValue([...testIds]))}::VARCHAR[]))`);
  const [r] = await db.query<{ whole: boolean | null }>(
    `SELECT bool_and((${from}::TIMESTAMP IS NULL OR r.first_at >= ${from}) AND (${to}::TIMESTAMP IS NULL OR s.last_at < ${to})) AS whole
     FROM flakiness_rollup r JOIN test_sequence s ON s.test_id = r.test_id ${where(conds)}`,
    p.values,
  );
  // No test selected: nothing for the rollup to leave out.
  return r?.whole !== false;
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
  if (!(await historiesWhole(db, filter))) return null;
  const { halfLife: h, failingStreak: streak, recent } = DEFAULT_EVIDENCE_OPTIONS;
  const p = new Params();
  // The time bounds were checked above: they cut nothing.
  const conds = rollupTestConds(filter, p);
  const rows = await db.query(
    `SELECT r.test_id, r.anchor, r.executions, r.failures, r.retries, r.evidence_failures, r.inconsistent_commits,
            r.sum_w, r.sum_w2, r.sum_wf, r.flip_w, r.sum_v, r.sum_v2, r.last_strong_seq, r.last_flake_seq, r.last_flake_at,
            s.last_seq AS top, s.fail_run AS tail_run,
            len(list_distinct(list_transform(list_filter(r.transient, lambda t: t.seq >= s.last_seq - ${recent}), lambda t: t.run))) AS recent_transient_runs
     FROM flakiness_rollup r JOIN test_sequence s ON s.test_id = r.test_id ${where(conds)}`,
    p.values,
  );
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

export { queryFlakinessAggregates } from './flakiness-sequences.ts';
