import { createApp, type App } from '../src/server/app.ts';
import {
  type Contract,
  GqlClient,
  type JsonObject,
  progress,
  requestLatency,
  summarise,
  type Summary,
} from './lib.ts';
import type { ReferenceSet } from './reference.ts';
import { MemorySampler } from './report.ts';

import { benchConcurrency, type ConcurrencyFigure } from './concurrency.ts';
import { GcPauses, type GcFigure, type Span } from './gc-pauses.ts';
import { handSql, plainScans, type ScanFigure, type SqlFigure } from './queries-duckdb.ts';
import { queryPlan, type PlannedQuery } from './query-plan.ts';
import {
  FLAKINESS_SCAN,
  PASS_RATE_BY_TEST_AND_DAY,
  PERF_BY_HARDWARE_AND_MODEL,
  TRENDS_SERIES,
} from './sql.ts';

/** Cold means both caches empty: the query cache (answers) and the response cache (whole responses). */
const clearCaches = (app: App): void => {
  app.cache.clear();
  app.responses.clear();
};

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
  /** The bench process's garbage collection during the cold loop (its client and the gateway share it). */
  readonly coldGc?: GcFigure;
  /** Set when the operation failed (e.g. a timeout on the 10M set): the figures are then empty and the run exits 1. */
  readonly error?: string;
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
   * three samples: `repeat` in lib.ts), so a slow operation on 10M results does not stretch
   * the run to hours; `n` in the summaries says how many were taken.
   */
  readonly budgetMs: number;
}

const arrayLength = (v: unknown): number => (Array.isArray(v) ? v.length : -1);
const EMPTY: Summary = summarise([]);

/** What measuring an operation needs: the app, the options, and where the hand-written SQL figures go. */
interface Measure {
  readonly app: App;
  readonly opts: QueryOptions;
  readonly sql: SqlFigure[];
}

/**
 * Hand-written SQL timed right after its operation, so both see the same machine load; the
 * full-history flakiness scan (10M rows sorted in DuckDB) comes last, see servingPeakRssMb.
 */
const PAIRED = new Map(
  [PASS_RATE_BY_TEST_AND_DAY, PERF_BY_HARDWARE_AND_MODEL, TRENDS_SERIES].map((q) => [q.operation, q]),
);

/** One operation's cold and cached latency, statements per request and memory (and its paired SQL). */
async function measureOperation(
  m: Measure,
  c: GqlClient,
  { operation, variables }: PlannedQuery,
): Promise<QueryFigure> {
  const { app, opts } = m;
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
    const gc = new GcPauses();
    const spans: Span[] = [];
    const cold = await requestLatency(
      c,
      operation,
      body,
      opts.coldReps,
      opts.budgetMs,
      () => clearCaches(app),
      spans,
    );
    const coldGc = gc.stop(spans);
    const coldStatements = perRequest(statementsBefore, cold.n);
    clearCaches(app);
    await c.post(operation, body);
    const hitsBefore = app.cache.stats().hits + app.responses.stats().hits;
    statementsBefore = app.store.statements;
    const warm = await requestLatency(c, operation, body, opts.warmReps, opts.budgetMs);
    const statementsPerRequest = { cold: coldStatements, warm: perRequest(statementsBefore, warm.n) };
    const warmCacheHits = app.cache.stats().hits + app.responses.stats().hits - hitsBefore;
    const rssMb = { before, peak: memory.stop().peakRssMb };
    progress(
      `  ${operation}: cold p50 ${cold.p50} ms (n ${cold.n}), warm p50 ${warm.p50} ms (n ${warm.n}); ` +
        `SQL statements per request ${statementsPerRequest.cold} cold, ${statementsPerRequest.warm} warm; RSS ${before} → ${rssMb.peak} MB; ` +
        `cold loop: ${coldGc.pauses} GC pauses (longest ${coldGc.longestMs} ms), slowest request ${coldGc.slowestMs} ms with ${coldGc.gcInSlowestMs} ms of GC`,
    );
    const q = PAIRED.get(operation);
    if (q) m.sql.push(await handSql(m.app.store.db, q, cold.p50, gatewayRows, m.opts));
    return { operation, variables, cold, warm, warmCacheHits, statementsPerRequest, rssMb, coldGc };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    progress(`  ${operation} FAILED: ${error}`);
    return {
      operation,
      variables,
      cold: EMPTY,
      warm: EMPTY,
      warmCacheHits: 0,
      statementsPerRequest: { cold: 0, warm: 0 },
      rssMb: { before, peak: memory.stop().peakRssMb },
      error,
    };
  }
}

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
    const scans = await plainScans(app.store.db, opts);
    const plan = await queryPlan(client, app.store.db);
    const m: Measure = { app, opts, sql: [] };
    const queries: QueryFigure[] = [];
    const serving = new MemorySampler();
    for (const planned of plan)
      queries.push(await measureOperation(m, planned.bench ? benchClient : client, planned));
    progress('  concurrency (the dashboard mix, cache on):');
    const concurrency = await benchConcurrency(
      client,
      new Map(plan.map((x) => [x.operation, x.variables])),
      [50, 200],
      opts.concurrencyMs,
    );
    const servingPeakRssMb = serving.stop().peakRssMb;
    m.sql.push(
      await handSql(
        app.store.db,
        FLAKINESS_SCAN,
        queries.find((f) => f.operation === FLAKINESS_SCAN.operation)?.cold.p50 ?? Number.NaN,
        -1,
        opts,
      ),
    );
    return { queries, sql: m.sql, scans, concurrency, servingPeakRssMb };
  } finally {
    await app.close();
  }
}
