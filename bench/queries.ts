import type { DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../src/db/database.ts';
import { createApp, type App } from '../src/server/app.ts';
import {
  type Contract,
  dig,
  GqlClient,
  type JsonObject,
  progress,
  summarise,
  type Summary,
  timed,
} from './lib.ts';
import type { ReferenceSet } from './reference.ts';
import { MemorySampler } from './report.ts';

/** Cold means both caches empty: the query cache (answers) and the response cache (whole responses). */
const clearCaches = (app: App): void => {
  app.cache.clear();
  app.responses.clear();
};
import { benchConcurrency, type ConcurrencyFigure } from './concurrency.ts';
import {
  FLAKINESS_SCAN,
  PASS_RATE_BY_TEST_AND_DAY,
  PERF_BY_HARDWARE_AND_MODEL,
  PLAIN_SCANS,
  TRENDS_SERIES,
  type PlainQuery,
} from './sql.ts';

interface QueryFigure {
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
  /** Resident set (MB) when the operation's first request started, and the highest sample during its loops. */
  readonly rssMb: { readonly before: number; readonly peak: number };
  /** Set when the operation failed (e.g. a timeout on the 10M set): the figures are then empty and the run exits 1. */
  readonly error?: string;
}

interface SqlFigure {
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

/** DuckDB's plain scan of a fact table, timed directly on the engine. */
interface ScanFigure {
  readonly table: string;
  readonly rows: number;
  readonly sql: string;
  readonly duckdb: Summary;
}

export interface QueryBench {
  readonly queries: QueryFigure[];
  readonly sql: SqlFigure[];
  readonly scans: ScanFigure[];
  /**
   * Highest resident set (MB) while the gateway answered GraphQL requests
   * (plain scans and same-answer SQL included), before the full-history
   * flakiness scan by hand: that scan sorts 10M rows inside DuckDB for the
   * bench's own comparison, which no request does.
   */
  readonly servingPeakRssMb: number;
  readonly concurrency: ConcurrencyFigure[];
}

export interface QueryOptions {
  readonly reference: ReferenceSet;
  readonly coldReps: number;
  readonly warmReps: number;
  /** How long each concurrency level runs. */
  readonly concurrencyMs: number;
  /**
   * A timing loop stops early once it has run this long (with at least
   * MIN_REPS samples), so a slow operation on 10M results does not stretch
   * the run to hours; `n` in the summaries says how many were taken.
   */
  readonly budgetMs: number;
}

const MIN_REPS = 3;

async function loop(reps: number, budgetMs: number, once: () => Promise<number>): Promise<Summary> {
  const samples: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    samples.push(await once());
    if (samples.length >= MIN_REPS && performance.now() - t0 > budgetMs) break;
  }
  return summarise(samples);
}

function latency(
  client: GqlClient,
  operation: string,
  body: string,
  reps: number,
  budgetMs: number,
  before?: () => void,
): Promise<Summary> {
  return loop(reps, budgetMs, async () => {
    before?.();
    return (await timed(() => client.post(operation, body))).ms;
  });
}

/**
 * Runs SQL directly on DuckDB and streams the result through in chunks
 * without turning it into JS values: what the engine itself needs. It uses
 * the store's writer connection inside `db.write` (a read-only statement;
 * nothing else writes during the query bench), because the reader
 * connections only hand out JS rows.
 */
async function engineTime(
  db: Database,
  sql: string,
  params: readonly DuckDBValue[],
): Promise<{ ms: number; rows: number }> {
  return db.write(async (tx) => {
    const t0 = performance.now();
    const result = await tx.connection.stream(sql, params.length ? [...params] : undefined);
    let rows = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      rows += chunk.rowCount;
    }
    return { ms: performance.now() - t0, rows };
  });
}

async function engineLoop(
  db: Database,
  sql: string,
  params: readonly DuckDBValue[],
  reps: number,
  budgetMs: number,
): Promise<{ summary: Summary; rows: number }> {
  const { rows } = await engineTime(db, sql, params); // warm-up, like the gateway's
  const summary = await loop(reps, budgetMs, async () => (await engineTime(db, sql, params)).ms);
  return { summary, rows };
}

const arrayLength = (v: unknown): number => (Array.isArray(v) ? v.length : -1);
const EMPTY: Summary = summarise([]);

/**
 * Cold and cached latency of the contract's read operations over HTTP on
 * the reference set, DuckDB running the same (or the underlying) SQL, and
 * DuckDB's plain scan of the fact tables.
 */
export async function benchQueries(
  contract: Contract,
  benchOps: Contract,
  opts: QueryOptions,
): Promise<QueryBench> {
  const app = await createApp({ db: opts.reference.path, port: 0, logLevel: 'silent' });
  try {
    const url = await app.listen();
    const client = new GqlClient(url, contract);
    const benchClient = new GqlClient(url, benchOps);
    const db = app.store.db;

    // DuckDB's plain scans first: the yardstick every figure below is read against.
    const scans: ScanFigure[] = [];
    for (const s of PLAIN_SCANS) {
      const { summary, rows } = await engineLoop(db, s.sql, [], opts.coldReps, opts.budgetMs);
      const [count] = await db.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${s.table}`);
      scans.push({ table: s.table, rows: Number(count?.n ?? 0), sql: s.sql, duckdb: summary });
      progress(
        `  plain scan of ${s.table} (${Number(count?.n ?? 0).toLocaleString('en-US')} rows) on DuckDB: p50 ${summary.p50} ms (${rows} row)`,
      );
    }

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

    // Filters for the reference set's projects (web, api, mobile, data, ml); see bench/README.md.
    const plan: { operation: string; variables: JsonObject; bench?: true }[] = [
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
    const queries: QueryFigure[] = [];
    const sql: SqlFigure[] = [];
    const handSql = (q: PlainQuery, cold: number, gw: number): Promise<void> =>
      engineLoop(db, q.sql, q.params, opts.coldReps, opts.budgetMs).then(({ summary, rows }) => {
        const ratioP50 = Math.round((cold / summary.p50) * 100) / 100;
        if (gw >= 0 && gw !== rows)
          progress(`  warning: ${q.operation} hand SQL gave ${rows} rows, the gateway ${gw} groups`);
        sql.push({
          operation: q.operation,
          sameAnswer: q.sameAnswer !== false,
          sql: q.sql.trim(),
          duckdb: summary,
          rows,
          gatewayRows: gw,
          ratioP50,
        });
        progress(
          `  ${q.operation} plain SQL on DuckDB: p50 ${summary.p50} ms, ${rows.toLocaleString('en-US')} rows (gateway/DuckDB ${ratioP50})`,
        );
      });
    // Timed right after their operation, so both see the same machine load; the
    // full-history flakiness scan (10M rows sorted in DuckDB) comes last, see servingPeakRssMb.
    const paired = new Map(
      [PASS_RATE_BY_TEST_AND_DAY, PERF_BY_HARDWARE_AND_MODEL, TRENDS_SERIES].map((q) => [q.operation, q]),
    );
    const serving = new MemorySampler();
    for (const { operation, variables, bench } of plan) {
      const c = bench ? benchClient : client;
      const body = c.body(operation, variables);
      const before = Math.round(process.memoryUsage().rss / 1048576);
      const memory = new MemorySampler();
      try {
        // One unmeasured request loads the columns into DuckDB's buffers and JIT-warms the code path.
        clearCaches(app);
        const first = await c.post(operation, body);
        const gatewayRows = arrayLength(first['metrics']);
        const perRequest = (before: number, reps: number) =>
          Math.round(((app.store.statements - before) / reps) * 100) / 100;
        let statementsBefore = app.store.statements;
        const cold = await latency(c, operation, body, opts.coldReps, opts.budgetMs, () => clearCaches(app));
        const coldStatements = perRequest(statementsBefore, cold.n);
        clearCaches(app);
        await c.post(operation, body);
        const hitsBefore = app.cache.stats().hits + app.responses.stats().hits;
        statementsBefore = app.store.statements;
        const warm = await latency(c, operation, body, opts.warmReps, opts.budgetMs);
        const statementsPerRequest = { cold: coldStatements, warm: perRequest(statementsBefore, warm.n) };
        const warmCacheHits = app.cache.stats().hits + app.responses.stats().hits - hitsBefore;
        const rssMb = { before, peak: memory.stop().peakRssMb };
        queries.push({ operation, variables, cold, warm, warmCacheHits, statementsPerRequest, rssMb });
        progress(
          `  ${operation}: cold p50 ${cold.p50} ms (n ${cold.n}), warm p50 ${warm.p50} ms (n ${warm.n}); ` +
            `SQL statements per request ${statementsPerRequest.cold} cold, ${statementsPerRequest.warm} warm; RSS ${before} → ${rssMb.peak} MB`,
        );
        const q = paired.get(operation);
        if (q) await handSql(q, cold.p50, gatewayRows);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        queries.push({
          operation,
          variables,
          cold: EMPTY,
          warm: EMPTY,
          warmCacheHits: 0,
          statementsPerRequest: { cold: 0, warm: 0 },
          rssMb: { before, peak: memory.stop().peakRssMb },
          error,
        });
        progress(`  ${operation} FAILED: ${error}`);
      }
    }
    progress('  concurrency (the dashboard mix, cache on):');
    const concurrency = await benchConcurrency(
      client,
      new Map(plan.map((x) => [x.operation, x.variables])),
      [50, 200],
      opts.concurrencyMs,
    );
    const servingPeakRssMb = serving.stop().peakRssMb;
    await handSql(
      FLAKINESS_SCAN,
      queries.find((f) => f.operation === FLAKINESS_SCAN.operation)?.cold.p50 ?? Number.NaN,
      -1,
    );
    return { queries, sql, scans, concurrency, servingPeakRssMb };
  } finally {
    await app.close();
  }
}
