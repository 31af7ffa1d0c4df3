import { sequenceSql } from './sequences.ts';
import { type Params, resultFilterSql, where } from './sql.ts';
import type { ResultFilter } from '../domain/types.ts';

/**
 * Where flakiness-cause.ts reads each execution's sequence columns and evidence kind from.
 * `executions` and `last` replace the table and `test_sequence`; `with` holds the CTEs they read.
 */
export interface CauseSource {
  readonly with: string;
  readonly executions: string;
  readonly last: string;
}

/**
 * By default, the columns kept at ingest: sequences (sequences.ts) and evidence kinds
 * (flakiness-append.ts), which leave out the executions of infrastructure failures.
 * With includeInfrastructureFailures, the same columns computed here for the slice's
 * tests with every non-skipped execution in place, by the rules the ingest keeps, over
 * each test's whole history as there: RETRY, a pass on a retry; SAME_COMMIT, a failure on
 * a commit the test also passed on; TRANSIENT, a failure in a run of at most `maxRun`
 * failures that a pass ended. So the per-value sums cover the executions the flakiness
 * aggregates count (flakiness-sequences.ts), and a score they are taken off stays whole.
 */
export function causeSource(filter: ResultFilter, p: Params, maxRun: number): CauseSource {
  if (!filter.includeInfrastructureFailures)
    return { with: '', executions: 'executions', last: 'test_sequence' };
  const tests = `test_id IN (SELECT test_id FROM executions ${where(resultFilterSql(filter, p))})`;
  const run = p.bind(maxRun);
  return {
    with: `q AS (${sequenceSql(tests, "status <> 'SKIPPED'")}),
     qe AS (
       SELECT x.* REPLACE (q.seq AS test_seq, q.fail_run AS fail_run), x.status IN ('FAILED', 'ERROR') AS q_failed,
              q.ended_fail_run AS q_ended
       FROM executions x JOIN q ON q.run_seq = x.run_seq AND q.test_id = x.test_id
     ),
     q_sc AS (SELECT DISTINCT test_id, commit_sha FROM qe WHERE NOT q_failed AND commit_sha IS NOT NULL),
     q_tr AS (
       SELECT test_id, unnest(range(test_seq - q_ended, test_seq)) AS seq FROM qe WHERE q_ended BETWEEN 1 AND ${run}
     ),
     q_ev AS (
       SELECT qe.* EXCLUDE (q_failed, q_ended) REPLACE (
                CASE WHEN qe.flaky THEN 'RETRY' WHEN NOT qe.q_failed THEN NULL
                     WHEN sc.test_id IS NOT NULL THEN 'SAME_COMMIT' WHEN tr.seq IS NOT NULL THEN 'TRANSIENT' END AS evidence)
       FROM qe
       LEFT JOIN q_sc sc ON qe.q_failed AND sc.test_id = qe.test_id AND sc.commit_sha = qe.commit_sha
       LEFT JOIN q_tr tr ON qe.q_failed AND tr.test_id = qe.test_id AND tr.seq = qe.test_seq
     ),`,
    executions: 'q_ev',
    last: '(SELECT test_id, max(seq) AS last_seq FROM q GROUP BY test_id)',
  };
}
