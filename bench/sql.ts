/**
 * Plain SQL, written by hand against the `executions` and `results` tables,
 * that produces the same answer as two contract operations: same filter, same
 * groups, same measures, same order and limit, with the test names the
 * GraphQL answer carries. The bench times it directly on DuckDB to see what
 * the gateway adds on top of the engine. Executions of infrastructure failures
 * are left out (`NOT infra`), as the gateway leaves them out unless asked.
 */
export interface PlainQuery {
  /** The contract operation this SQL answers. */
  readonly operation: string;
  readonly sql: string;
  readonly params: readonly string[];
  /**
   * True when the SQL gives the same answer as the operation (then the
   * gateway/DuckDB ratio has the ≤ 1.1 goal); false for a plain scan of the
   * rows an analysis reads, a lower bound the analysis adds math to.
   * @default true
   */
  readonly sameAnswer?: boolean;
}

/** PassRateByTestAndDay with filter { project: ["web"] } (a quarter of the reference set). */
export const PASS_RATE_BY_TEST_AND_DAY: PlainQuery = {
  operation: 'PassRateByTestAndDay',
  params: ['web'],
  sql: `
WITH g AS (
  SELECT test_id, date_trunc('day', started_at) AS bucket,
         count(*) AS executions,
         count(*) FILTER (WHERE status = 'PASSED') AS passed,
         count(*) FILTER (WHERE status = 'FAILED') AS failed,
         count(*) FILTER (WHERE status = 'ERROR') AS errored,
         count(*) FILTER (WHERE status = 'SKIPPED') AS skipped,
         count(*) FILTER (WHERE flaky) AS flaky,
         avg(duration_ms) FILTER (WHERE status <> 'SKIPPED') AS duration_avg,
         quantile_cont(duration_ms, 0.95) FILTER (WHERE status <> 'SKIPPED') AS duration_p95
  FROM executions
  WHERE project = $1 AND NOT infra
  GROUP BY test_id, bucket
),
rated AS (
  SELECT *,
         passed::DOUBLE / nullif(executions - skipped, 0) AS pass_rate,
         (failed + errored)::DOUBLE / nullif(executions - skipped, 0) AS fail_rate,
         flaky::DOUBLE / nullif(executions - skipped, 0) AS flaky_rate
  FROM g
  ORDER BY pass_rate ASC NULLS LAST, test_id, bucket
  LIMIT 500
)
SELECT rated.*, t.name, t.suite
FROM rated JOIN tests t ON t.id = rated.test_id
ORDER BY pass_rate ASC NULLS LAST, test_id, bucket`,
};

/** PerfByHardwareAndModel with filter { project: ["ml"] } (the tenth of the tests with model tags and metrics). */
export const PERF_BY_HARDWARE_AND_MODEL: PlainQuery = {
  operation: 'PerfByHardwareAndModel',
  params: ['ml'],
  sql: `
WITH e AS (
  SELECT hardware, tags['model'] AS model, count(*) AS executions
  FROM executions
  WHERE project = $1 AND NOT infra
  GROUP BY hardware, model
),
m AS (
  SELECT hardware, model,
         avg(metric.value) FILTER (WHERE metric.name = 'throughput') AS throughput,
         quantile_cont(metric.value, 0.99) FILTER (WHERE metric.name = 'latency_ms') AS latency_p99
  FROM (SELECT hardware, tags['model'] AS model, unnest(metrics) AS metric FROM results WHERE project = $1)
  WHERE metric.name IN ('throughput', 'latency_ms')
  GROUP BY hardware, model
)
SELECT coalesce(e.hardware, m.hardware) AS hardware, coalesce(e.model, m.model) AS model,
       e.executions, m.throughput, m.latency_p99
FROM e FULL OUTER JOIN m ON e.hardware IS NOT DISTINCT FROM m.hardware AND e.model IS NOT DISTINCT FROM m.model
ORDER BY hardware ASC NULLS LAST, model ASC NULLS LAST`,
};

/**
 * A plain scan of the executions the Flakiness operation reads over the full
 * history (every test's non-skipped executions in order, with the columns
 * the score uses): the engine's lower bound for an answer that is not rolled
 * up at ingest.
 */
export const FLAKINESS_SCAN: PlainQuery = {
  operation: 'FlakinessFullHistory',
  params: [],
  sameAnswer: false,
  sql: `
SELECT test_id, epoch_ms(started_at) AS at, commit_sha, status, flaky
FROM executions
WHERE status <> 'SKIPPED'
ORDER BY test_id, started_at, run_seq`,
};

/** The daily pass-rate series per suite that the Trends operation regresses (no filter: every project, the full history). */
export const TRENDS_SERIES: PlainQuery = {
  operation: 'Trends',
  params: [],
  sameAnswer: false,
  sql: `
SELECT suite, date_trunc('day', started_at) AS bucket,
       count(*) FILTER (WHERE status = 'PASSED')::DOUBLE / nullif(count(*) FILTER (WHERE status <> 'SKIPPED'), 0) AS pass_rate,
       count(*) AS n
FROM executions
GROUP BY suite, bucket ORDER BY suite, bucket`,
};

/**
 * DuckDB's plain scan of the fact tables (each
 * query's time next to the time DuckDB needs to read the data at all).
 */
export const PLAIN_SCANS: readonly { readonly table: 'executions' | 'results'; readonly sql: string }[] = [
  { table: 'executions', sql: 'SELECT count(*), avg(duration_ms) FROM executions' },
  { table: 'results', sql: 'SELECT count(*), avg(duration_ms) FROM results' },
];
