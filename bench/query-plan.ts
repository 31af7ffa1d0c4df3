import type { Database } from '../src/db/database.ts';
import { createApp } from '../src/server/app.ts';
import { dig, GqlClient, type JsonObject, loadContract } from './lib.ts';

/** One operation of the query bench, with its variables; `bench` ones come from bench/operations.graphql. */
export interface PlannedQuery {
  readonly operation: string;
  readonly variables: JsonObject;
  readonly bench?: true;
}

/**
 * The contract's read operations the query bench times, with variables on the reference set:
 * a test id from the Tests page, an ML test, and the api project's last two runs (what a
 * pull-request check compares) are read from the set itself.
 */
export async function queryPlan(client: GqlClient, db: Database): Promise<PlannedQuery[]> {
  const worst = await client.post('Tests', client.body('Tests', { first: 50 }));
  const testId = dig(worst, 'tests', 'edges', 0, 'node', 'id');
  if (typeof testId !== 'string') throw new Error('Tests returned no test id for TestDetail');
  const [mlTest] = await db.query<{ id: string }>(
    "SELECT id FROM tests WHERE project = 'ml' ORDER BY id LIMIT 1",
  );
  if (!mlTest) throw new Error('the reference set has no ml test for RawMetricTrend');
  // The api project's last two runs: what a pull-request check compares.
  const [head, base] = await db.query<{ id: string }>(
    "SELECT id FROM runs WHERE project = 'api' ORDER BY started_at DESC, seq DESC LIMIT 2",
  );
  if (!head || !base) throw new Error('the reference set has fewer than two api runs for CompareRuns');
  const [end] = await db.query<{ at: Date }>('SELECT max(started_at) AS at FROM runs');
  if (!end) throw new Error('the reference set has no runs');
  const last30Days = new Date(end.at.getTime() - 30 * 86_400_000).toISOString();

  // Filters for the reference set's projects (web, api, mobile, data, ml); see bench/README.md.
  return [
    { operation: 'ResultsSlice', variables: { first: 100 } },
    { operation: 'Runs', variables: { first: 50 } },
    { operation: 'Tests', variables: { first: 50 } },
    { operation: 'TestDetail', variables: { id: testId } },
    { operation: 'PassRateByTestAndDay', variables: { filter: { project: ['web'] } } },
    { operation: 'PerfByHardwareAndModel', variables: { filter: { project: ['ml'] } } },
    { operation: 'Gateway', variables: {} },
    // Daily pass-rate trend per suite over the full history of every project.
    { operation: 'Trends', variables: {} },
    // One ML test's raw latency over its history (bucket NONE: one point per result).
    { operation: 'RawMetricTrend', variables: { filter: { testId: [mlTest.id] } } },
    { operation: 'Anomalies', variables: { filter: { project: ['ml'] } } },
    // Per-test flakiness of every test over the full history.
    { operation: 'FlakinessFullHistory', variables: { window: { days: 100_000 } }, bench: true },
    // The dashboard's flaky tests over the history's last 30 days (the clock's window reaches back past it).
    {
      operation: 'FlakinessLast30Days',
      variables: { filter: { from: last30Days }, window: { days: 100_000 } },
      bench: true,
    },
    { operation: 'Forecast', variables: { filter: { project: ['api'] } } },
    { operation: 'Compare', variables: { filter: { project: ['ml'] } } },
    // Test-farm analytics: a pull-request check, the failure clusters of a project's
    // whole history, worker load over everything, breakers, and ML throughput across three dimensions.
    { operation: 'CompareRuns', variables: { base: base.id, head: head.id } },
    { operation: 'FailurePatterns', variables: { filter: { project: ['web'] } } },
    { operation: 'Workload', variables: {} },
    { operation: 'CircuitBreakers', variables: {} },
    {
      operation: 'PerformanceByHardwareModelBatch',
      variables: { filter: { project: ['ml'] } },
      bench: true,
    },
  ];
}

/** The plan on the database file at `path`, read in this process (before a server of its own opens the file). */
export async function queryPlanOn(path: string): Promise<PlannedQuery[]> {
  const app = await createApp({ db: path, port: 0, logLevel: 'silent' });
  try {
    return await queryPlan(new GqlClient(await app.listen(), loadContract()), app.store.db);
  } finally {
    await app.close();
  }
}
