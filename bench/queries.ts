import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../src/db/database.ts';
import { generateDemo } from '../src/db/demo.ts';
import { createApp, type App } from '../src/server/app.ts';
import { type Contract, dig, GqlClient, type JsonObject, progress, summarise, type Summary, timed } from './lib.ts';
import { FLAKINESS_SCAN, PASS_RATE_BY_TEST_AND_DAY, PERF_BY_HARDWARE_AND_MODEL, TRENDS_SERIES, type PlainQuery } from './sql.ts';

export interface QueryFigure {
  readonly operation: string;
  readonly variables: JsonObject;
  /** Answer cache cleared before every repetition (DuckDB's own buffers stay warm). */
  readonly cold: Summary;
  /** Answer cache primed once, then hit. */
  readonly warm: Summary;
  /** Cross-request cache hits counted during the warm loop (0 for an operation the cache does not cover). */
  readonly warmCacheHits: number;
  /** SQL statements per request: during the cold loop, and during the cached loop (what the cache does not spare). */
  readonly statementsPerRequest: { readonly cold: number; readonly warm: number };
}

export interface SqlFigure {
  readonly operation: string;
  /** False for a plain scan of the rows an analysis reads (see PlainQuery). */
  readonly sameAnswer: boolean;
  readonly sql: string;
  readonly duckdb: Summary;
  /** Rows of the hand-written SQL, and groups of the gateway's answer (they should agree). */
  readonly rows: number;
  readonly gatewayRows: number;
  /** Gateway cold p50 / DuckDB p50. */
  readonly ratioP50: number;
}

export interface QueryBench {
  readonly demo: { readonly days: number; readonly runs: number; readonly tests: number; readonly results: number; readonly generateSeconds: number };
  readonly queries: QueryFigure[];
  readonly sql: SqlFigure[];
}

/** Generates the demo history into a fresh file, before any app opens it. */
async function buildDemo(path: string, days: number): Promise<QueryBench['demo']> {
  const db = await Database.open({ path });
  try {
    const { ms, value: facts } = await timed(() => generateDemo(db, { days, seed: 42, end: new Date('2026-11-22T00:00:00Z') }));
    return { days, runs: facts.runs, tests: facts.tests, results: facts.results, generateSeconds: Math.round(ms) / 1000 };
  } finally {
    await db.close();
  }
}

async function latency(client: GqlClient, operation: string, body: string, reps: number, before?: () => void): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    before?.();
    samples.push((await timed(() => client.post(operation, body))).ms);
  }
  return summarise(samples);
}

async function plainSql(app: App, q: PlainQuery, reps: number): Promise<{ summary: Summary; rows: number }> {
  const run = () => app.store.db.query(q.sql, q.params);
  const rows = (await run()).length; // warm-up, like the gateway's
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) samples.push((await timed(run)).ms);
  return { summary: summarise(samples), rows };
}

const arrayLength = (v: unknown): number => (Array.isArray(v) ? v.length : -1);

export async function benchQueries(contract: Contract, opts: { days: number; coldReps: number; warmReps: number }): Promise<QueryBench> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-bench-query-'));
  const path = join(dir, 'demo.duckdb');
  try {
    progress(`generating ${opts.days} days of demo history…`);
    const demo = await buildDemo(path, opts.days);
    progress(`demo: ${demo.runs} runs, ${demo.tests} tests, ${demo.results} results in ${demo.generateSeconds} s`);

    const app = await createApp({ db: path, port: 0, logLevel: 'silent' });
    try {
      const client = new GqlClient(await app.listen(), contract);
      const worst = await client.post('Tests', client.body('Tests', { first: 50 }));
      const testId = dig(worst, 'tests', 'edges', 0, 'node', 'id');
      if (typeof testId !== 'string') throw new Error('Tests returned no test id for TestDetail');

      const plan: { operation: string; variables: JsonObject }[] = [
        { operation: 'ResultsSlice', variables: { first: 100 } },
        { operation: 'Runs', variables: { first: 50 } },
        { operation: 'Tests', variables: { first: 50 } },
        { operation: 'TestDetail', variables: { id: testId } },
        { operation: 'PassRateByTestAndDay', variables: { filter: { project: ['web'] } } },
        { operation: 'PerfByHardwareAndModel', variables: { filter: { project: ['ml'] } } },
        { operation: 'Gateway', variables: {} },
        { operation: 'Trends', variables: { filter: { project: ['api'] } } },
        { operation: 'RawMetricTrend', variables: { filter: { project: ['ml'] } } },
        { operation: 'Anomalies', variables: { filter: { project: ['ml'] } } },
        { operation: 'Flakiness', variables: {} },
        { operation: 'Forecast', variables: { filter: { project: ['api'] } } },
        { operation: 'Compare', variables: { filter: { project: ['ml'] } } },
      ];
      const queries: QueryFigure[] = [];
      const gatewayRows = new Map<string, number>();
      for (const { operation, variables } of plan) {
        const body = client.body(operation, variables);
        // One unmeasured request loads the columns into DuckDB's buffers and JIT-warms the code path.
        app.cache.clear();
        const first = await client.post(operation, body);
        gatewayRows.set(operation, arrayLength(first['metrics']));
        const perRequest = (before: number, reps: number) => Math.round(((app.store.statements - before) / reps) * 100) / 100;
        let statementsBefore = app.store.statements;
        const cold = await latency(client, operation, body, opts.coldReps, () => app.cache.clear());
        const coldStatements = perRequest(statementsBefore, opts.coldReps);
        app.cache.clear();
        await client.post(operation, body);
        const hitsBefore = app.cache.stats().hits;
        statementsBefore = app.store.statements;
        const warm = await latency(client, operation, body, opts.warmReps);
        const statementsPerRequest = { cold: coldStatements, warm: perRequest(statementsBefore, opts.warmReps) };
        const warmCacheHits = app.cache.stats().hits - hitsBefore;
        queries.push({ operation, variables, cold, warm, warmCacheHits, statementsPerRequest });
        progress(`  ${operation}: cold p50 ${cold.p50} ms, warm p50 ${warm.p50} ms; SQL statements per request ${statementsPerRequest.cold} cold, ${statementsPerRequest.warm} warm`);
      }

      const sql: SqlFigure[] = [];
      for (const q of [PASS_RATE_BY_TEST_AND_DAY, PERF_BY_HARDWARE_AND_MODEL, TRENDS_SERIES, FLAKINESS_SCAN]) {
        const { summary, rows } = await plainSql(app, q, opts.coldReps);
        const cold = queries.find((f) => f.operation === q.operation)?.cold.p50 ?? Number.NaN;
        const ratioP50 = Math.round((cold / summary.p50) * 100) / 100;
        const gw = gatewayRows.get(q.operation) ?? -1;
        if (gw >= 0 && gw !== rows) progress(`  warning: ${q.operation} hand SQL gave ${rows} rows, the gateway ${gw} groups`);
        sql.push({ operation: q.operation, sameAnswer: q.sameAnswer !== false, sql: q.sql.trim(), duckdb: summary, rows, gatewayRows: gw, ratioP50 });
        progress(`  ${q.operation} plain SQL on DuckDB: p50 ${summary.p50} ms (gateway/DuckDB ${ratioP50})`);
      }
      return { demo, queries, sql };
    } finally {
      await app.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
