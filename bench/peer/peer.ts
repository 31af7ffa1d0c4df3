/**
 * The bench's peer: what a team would set up instead of Assay for GraphQL
 * analytics over its own test results — PostgreSQL with PostGraphile v5
 * (amber preset) and @graphile/pg-aggregates (`groupedAggregates` for
 * group-by and day/hour buckets).
 *
 * Run by bench/peer.ts in its own process (its packages live in
 * bench/peer/node_modules, never in Assay's dependencies):
 *   node --import tsx bench/peer/peer.ts --csv DIR --database assay_peer --test-id ID
 *     [--cold 10] [--warm 30] [--budget-ms 5000] [--url postgres://postgres@127.0.0.1:5432]
 *
 * It loads the reference set's runs, tests and results (CSV files exported
 * from the DuckDB reference file) into a fresh PostgreSQL database with COPY
 * FROM STDIN, adds the keys and indexes a user would add, starts PostGraphile
 * on an ephemeral port and times each query it can express over HTTP, and
 * the same SQL directly on PostgreSQL. Progress goes to stderr; the last
 * line of stdout is one JSON object (PeerReport). Nothing is asserted.
 */
import './polyfill.ts';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { PgAggregatesPreset } from '@graphile/pg-aggregates';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const { values: args } = parseArgs({
  options: {
    csv: { type: 'string' },
    database: { type: 'string', default: 'assay_peer' },
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
    'test-id': { type: 'string' },
    cold: { type: 'string', default: '10' },
    warm: { type: 'string', default: '30' },
    'budget-ms': { type: 'string', default: '5000' },
  },
});

const progress = (message: string): void => {
  process.stderr.write(`[peer ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

// ---------------------------------------------------------------- summaries (as bench/lib.ts)

export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

function percentile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (pos - lo);
}

function summarise(samples: readonly number[]): Summary {
  const s = [...samples].sort((x, y) => x - y);
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return {
    n: s.length,
    min: r(s[0] ?? Number.NaN),
    p50: r(percentile(s, 0.5)),
    p95: r(percentile(s, 0.95)),
    max: r(s[s.length - 1] ?? Number.NaN),
  };
}

async function loop(reps: number, budgetMs: number, once: () => Promise<number>): Promise<Summary> {
  const samples: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    samples.push(await once());
    if (samples.length >= 3 && performance.now() - t0 > budgetMs) break;
  }
  return summarise(samples);
}

// ---------------------------------------------------------------- the schema a user would write

/** Same columns as Assay's runs, tests and results; MAP and STRUCT[] columns become jsonb. */
const TABLES = [
  {
    table: 'runs',
    columns:
      'seq, id, project, branch, commit_sha, started_at, finished_at, tags, executions, passed, failed, errored, flaky, skipped, duration_ms, ingested_at',
    ddl: `CREATE TABLE runs (
        seq bigint NOT NULL, id text NOT NULL, project text NOT NULL, branch text, commit_sha text,
        started_at timestamp NOT NULL, finished_at timestamp, tags jsonb NOT NULL,
        executions integer NOT NULL, passed integer NOT NULL, failed integer NOT NULL, errored integer NOT NULL,
        flaky integer NOT NULL, skipped integer NOT NULL, duration_ms double precision, ingested_at timestamp NOT NULL)`,
  },
  {
    table: 'tests',
    columns: 'id, project, suite, class_name, name, first_seen_at',
    ddl: `CREATE TABLE tests (
        id text NOT NULL, project text NOT NULL, suite text NOT NULL, class_name text, name text NOT NULL,
        first_seen_at timestamp NOT NULL)`,
  },
  {
    table: 'results',
    columns:
      'id, run_seq, test_id, attempt, status, duration_ms, started_at, project, suite, branch, commit_sha, worker, hardware, message, stack_trace, tags, metrics',
    ddl: `CREATE TABLE results (
        id bigint NOT NULL, run_seq bigint NOT NULL, test_id text NOT NULL, attempt integer NOT NULL,
        status text NOT NULL, duration_ms double precision NOT NULL, started_at timestamp NOT NULL,
        project text NOT NULL, suite text NOT NULL, branch text, commit_sha text, worker text, hardware text,
        message text, stack_trace text, tags jsonb NOT NULL, metrics jsonb NOT NULL)`,
  },
] as const;

/**
 * Added after COPY (faster than maintaining them row by row), as a user
 * loading a dump would: the keys PostGraphile needs for its relations
 * (results → runs, results → tests), an index under each foreign key, the
 * newest-first order of the results slice, and project + time for the
 * per-project filters.
 */
export const INDEXES = [
  'ALTER TABLE runs ADD PRIMARY KEY (seq)',
  'ALTER TABLE runs ADD UNIQUE (id)',
  'ALTER TABLE tests ADD PRIMARY KEY (id)',
  'ALTER TABLE results ADD PRIMARY KEY (id)',
  'ALTER TABLE results ADD FOREIGN KEY (run_seq) REFERENCES runs (seq)',
  'ALTER TABLE results ADD FOREIGN KEY (test_id) REFERENCES tests (id)',
  'CREATE INDEX results_run_seq ON results (run_seq)',
  'CREATE INDEX results_test_started ON results (test_id, started_at)',
  'CREATE INDEX results_started ON results (started_at)',
  'CREATE INDEX results_project_started ON results (project, started_at)',
] as const;

export interface LoadFigure {
  readonly rows: { readonly runs: number; readonly tests: number; readonly results: number };
  readonly csvMb: number;
  /** COPY FROM STDIN of the three CSV files, streamed through the client. */
  readonly copySeconds: number;
  readonly copyRowsPerSecond: number;
  /** Keys, foreign keys and indexes after the COPY, then ANALYZE. */
  readonly indexSeconds: number;
  readonly analyzeSeconds: number;
  /** Rows / (COPY + indexes + ANALYZE): until the data can be queried as below. */
  readonly readyRowsPerSecond: number;
  readonly databaseMb: number;
}

async function load(admin: pg.Client, db: pg.Client, csvDir: string): Promise<LoadFigure> {
  for (const t of TABLES) await db.query(t.ddl);
  const rows = { runs: 0, tests: 0, results: 0 };
  let bytes = 0;
  const t0 = performance.now();
  for (const t of TABLES) {
    const file = join(csvDir, `${t.table}.csv`);
    bytes += statSync(file).size;
    const copy = db.query(
      copyFrom(`COPY ${t.table} (${t.columns}) FROM STDIN WITH (FORMAT csv, HEADER true)`),
    );
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), copy);
    rows[t.table] = Number(copy.rowCount);
    progress(`  COPY ${t.table}: ${rows[t.table].toLocaleString('en-US')} rows`);
  }
  const copySeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  for (const ddl of INDEXES) await db.query(ddl);
  const indexSeconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  await db.query('ANALYZE');
  const analyzeSeconds = (performance.now() - t2) / 1000;
  const total = rows.runs + rows.tests + rows.results;
  const size = await admin.query<{ b: string }>('SELECT pg_database_size($1)::text AS b', [args.database]);
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return {
    rows,
    csvMb: Math.round(bytes / 1048576),
    copySeconds: r2(copySeconds),
    copyRowsPerSecond: Math.round(total / copySeconds),
    indexSeconds: r2(indexSeconds),
    analyzeSeconds: r2(analyzeSeconds),
    readyRowsPerSecond: Math.round(total / (copySeconds + indexSeconds + analyzeSeconds)),
    databaseMb: Math.round(Number(size.rows[0]?.b ?? 0) / 1048576),
  };
}

// ---------------------------------------------------------------- the operations

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

/**
 * One of Assay's bench operations, as the peer answers it. `graphql`: the
 * PostGraphile query (absent: not expressible) and `finish`, the client-side
 * work a user must add to get the answer (merge status groups, sort, rates),
 * which is timed as part of the request. `sql`: the same answer in plain SQL
 * on PostgreSQL (absent where SQL alone cannot give it either).
 */
interface PeerOperation {
  readonly operation: string;
  readonly coverage: 'full' | 'partial' | 'none';
  readonly note: string;
  readonly graphql?: string;
  readonly variables?: Obj;
  readonly finish?: (data: Obj) => number;
  readonly sql?: readonly { readonly text: string; readonly params: readonly string[] }[];
}

const obj = (v: Json | undefined): Obj =>
  v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : {};
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const num = (v: Json | undefined): number =>
  typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0;
const str = (v: Json | undefined): string => (typeof v === 'string' ? v : String(v));

/** One grouped-aggregates row: keys, a count (distinctCount of the key) and optional measures. */
interface Group {
  readonly keys: string[];
  readonly n: number;
  readonly avgMs: number;
  readonly sumMs: number;
}
const groups = (v: Json | undefined): Group[] =>
  arr(v).map((g) => {
    const o = obj(g);
    return {
      keys: arr(o['keys']).map(str),
      n: num(obj(o['distinctCount'])['rowId']),
      avgMs: num(obj(o['average'])['durationMs']),
      sumMs: num(obj(o['sum'])['durationMs']),
    };
  });

/** Folds (…key, status) groups into per-key counts: what Assay's passRate etc. are made from. */
function byStatus(
  gs: readonly Group[],
): Map<
  string,
  { keys: string[]; n: number; passed: number; failed: number; skipped: number; msSum: number }
> {
  const out = new Map<
    string,
    { keys: string[]; n: number; passed: number; failed: number; skipped: number; msSum: number }
  >();
  for (const g of gs) {
    const keys = g.keys.slice(0, -1);
    const status = g.keys[g.keys.length - 1];
    const k = keys.join('\u0000');
    const acc = out.get(k) ?? { keys, n: 0, passed: 0, failed: 0, skipped: 0, msSum: 0 };
    acc.n += g.n;
    if (status === 'PASSED') acc.passed += g.n;
    else if (status === 'SKIPPED') acc.skipped += g.n;
    else acc.failed += g.n;
    if (status !== 'SKIPPED') acc.msSum += g.avgMs * g.n;
    out.set(k, acc);
  }
  return out;
}

const passRate = (x: { n: number; passed: number; skipped: number }): number | null =>
  x.n - x.skipped > 0 ? x.passed / (x.n - x.skipped) : null;

function operations(testId: string): PeerOperation[] {
  return [
    {
      operation: 'ResultsSlice',
      coverage: 'full',
      note: 'connection, newest first, totalCount, nested test and run',
      graphql: `query { allResults(first: 100, orderBy: [STARTED_AT_DESC]) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { rowId status durationMs attempt startedAt worker hardware message tags metrics
          testByTestId { rowId name suite className } runByRunSeq { rowId project branch commitSha } } } } }`,
      finish: (d) => arr(obj(d['allResults'])['edges']).length,
      sql: [
        {
          text: `SELECT (SELECT count(*) FROM results) AS total_count, r.id, r.status, r.duration_ms, r.attempt, r.started_at,
                   r.worker, r.hardware, r.message, r.tags, r.metrics, t.id AS test_id, t.name, t.suite, t.class_name,
                   ru.id AS run_id, ru.project, ru.branch, ru.commit_sha
                 FROM results r JOIN tests t ON t.id = r.test_id JOIN runs ru ON ru.seq = r.run_seq
                 ORDER BY r.started_at DESC, r.id DESC LIMIT 101`,
          params: [],
        },
      ],
    },
    {
      operation: 'Runs',
      coverage: 'full',
      note: 'run counters are columns; the client divides for passRate',
      graphql: `query { allRuns(first: 50, orderBy: [STARTED_AT_DESC]) { totalCount
        edges { node { rowId project branch commitSha startedAt finishedAt executions passed failed flaky skipped durationMs } } } }`,
      finish: (d) => arr(obj(d['allRuns'])['edges']).length,
      sql: [
        {
          text: `SELECT (SELECT count(*) FROM runs) AS total_count, id, project, branch, commit_sha, started_at, finished_at,
                   executions, passed, failed, flaky, skipped, passed::float8 / nullif(executions - skipped, 0) AS pass_rate, duration_ms
                 FROM runs ORDER BY started_at DESC, seq DESC LIMIT 50`,
          params: [],
        },
      ],
    },
    {
      operation: 'Tests',
      coverage: 'none',
      note: 'ordering tests by pass rate (a ratio of two filtered counts) is not an orderBy pg-aggregates offers',
      sql: [
        {
          text: `SELECT t.id, t.name, t.suite, s.executions, s.pass_rate, s.duration_p95
                 FROM tests t JOIN (
                   SELECT test_id, count(*) AS executions,
                     count(*) FILTER (WHERE status = 'PASSED')::float8 / nullif(count(*) FILTER (WHERE status <> 'SKIPPED'), 0) AS pass_rate,
                     percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE status <> 'SKIPPED') AS duration_p95
                   FROM results GROUP BY test_id) s ON s.test_id = t.id
                 ORDER BY s.pass_rate ASC NULLS LAST, t.id LIMIT 50`,
          params: [],
        },
      ],
    },
    {
      operation: 'TestDetail',
      coverage: 'partial',
      note: 'counts per status and mean duration via groupedAggregates, last 50 attempts; no p95 (no percentile aggregate), no flaky rate (attempts are not folded)',
      graphql: `query ($id: String!) { testByRowId(rowId: $id) { rowId name suite className project
        stats: resultsByTestId { groupedAggregates(groupBy: [STATUS]) { keys distinctCount { rowId } average { durationMs } } }
        history: resultsByTestId(first: 50, orderBy: [STARTED_AT_DESC]) { nodes { status attempt durationMs startedAt message
          runByRunSeq { rowId commitSha branch } } } } }`,
      variables: { id: testId },
      finish: (d) => {
        const t = obj(d['testByRowId']);
        const s = byStatus(
          groups(obj(t['stats'])['groupedAggregates']).map((g) => ({ ...g, keys: ['', ...g.keys] })),
        );
        const all = s.get('');
        if (!all) throw new Error(`TestDetail: no results for test ${testId}`);
        return passRate(all) === null ? 0 : 1;
      },
      sql: [
        {
          text: `SELECT t.id, t.name, t.suite, t.class_name, t.project, a.*
                 FROM tests t, LATERAL (
                   SELECT count(*) AS executions,
                     count(*) FILTER (WHERE status = 'PASSED')::float8 / nullif(count(*) FILTER (WHERE status <> 'SKIPPED'), 0) AS pass_rate,
                     avg(duration_ms) FILTER (WHERE status <> 'SKIPPED') AS duration_avg,
                     percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE status <> 'SKIPPED') AS duration_p95,
                     max(started_at) AS last_run_at
                   FROM results WHERE test_id = t.id) a
                 WHERE t.id = $1`,
          params: [testId],
        },
        {
          text: `SELECT r.status, r.attempt, r.duration_ms, r.started_at, r.message, ru.id, ru.commit_sha, ru.branch
                 FROM results r JOIN runs ru ON ru.seq = r.run_seq WHERE r.test_id = $1
                 ORDER BY r.started_at DESC, r.id DESC LIMIT 50`,
          params: [testId],
        },
      ],
    },
    {
      operation: 'PassRateByTestAndDay',
      coverage: 'partial',
      note: 'groupedAggregates by test, day and status (project web), then the client folds statuses, computes rates, sorts every group and keeps 500; no p95, no flaky count; attempts, not executions',
      graphql: `query { allResults(condition: { project: "web" }) {
          groupedAggregates(groupBy: [TEST_ID, STARTED_AT_TRUNCATED_TO_DAY, STATUS]) { keys distinctCount { rowId } average { durationMs } } }
        allTests(condition: { project: "web" }) { nodes { rowId name suite } } }`,
      finish: (d) => {
        const names = new Map(arr(obj(d['allTests'])['nodes']).map((n) => [str(obj(n)['rowId']), obj(n)]));
        const rows = [...byStatus(groups(obj(d['allResults'])['groupedAggregates'])).values()]
          .map((x) => ({ ...x, rate: passRate(x) }))
          .sort(
            (a, b) =>
              (a.rate ?? Infinity) - (b.rate ?? Infinity) ||
              (a.keys[0] ?? '').localeCompare(b.keys[0] ?? '') ||
              (a.keys[1] ?? '').localeCompare(b.keys[1] ?? ''),
          )
          .slice(0, 500)
          .map((x) => ({ ...x, test: names.get(x.keys[0] ?? '') }));
        return rows.length;
      },
      sql: [
        {
          text: `WITH g AS (
                   SELECT test_id, date_trunc('day', started_at) AS bucket, count(*) AS executions,
                     count(*) FILTER (WHERE status = 'PASSED') AS passed, count(*) FILTER (WHERE status = 'FAILED') AS failed,
                     count(*) FILTER (WHERE status = 'ERROR') AS errored, count(*) FILTER (WHERE status = 'SKIPPED') AS skipped,
                     avg(duration_ms) FILTER (WHERE status <> 'SKIPPED') AS duration_avg,
                     percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE status <> 'SKIPPED') AS duration_p95
                   FROM results WHERE project = $1 GROUP BY test_id, bucket),
                 rated AS (
                   SELECT *, passed::float8 / nullif(executions - skipped, 0) AS pass_rate,
                     (failed + errored)::float8 / nullif(executions - skipped, 0) AS fail_rate
                   FROM g ORDER BY pass_rate ASC NULLS LAST, test_id, bucket LIMIT 500)
                 SELECT rated.*, t.name, t.suite FROM rated JOIN tests t ON t.id = rated.test_id
                 ORDER BY pass_rate ASC NULLS LAST, test_id, bucket`,
          params: ['web'],
        },
      ],
    },
    {
      operation: 'PerfByHardwareAndModel',
      coverage: 'none',
      note: 'metrics are a JSON array and the model a JSON tag: pg-aggregates groups by columns only and aggregates no JSON; would need a metrics table and a model column',
      sql: [
        {
          text: `WITH e AS (SELECT hardware, tags->>'model' AS model, count(*) AS executions FROM results WHERE project = $1 GROUP BY 1, 2),
                 m AS (
                   SELECT hardware, tags->>'model' AS model,
                     avg((x->>'value')::float8) FILTER (WHERE x->>'name' = 'throughput') AS throughput,
                     percentile_cont(0.99) WITHIN GROUP (ORDER BY (x->>'value')::float8) FILTER (WHERE x->>'name' = 'latency_ms') AS latency_p99
                   FROM results, jsonb_array_elements(metrics) AS x WHERE project = $1 GROUP BY 1, 2)
                 SELECT coalesce(e.hardware, m.hardware) AS hardware, coalesce(e.model, m.model) AS model,
                   e.executions, m.throughput, m.latency_p99
                 FROM e FULL JOIN m ON coalesce(e.hardware, '') = coalesce(m.hardware, '') AND coalesce(e.model, '') = coalesce(m.model, '')
                 ORDER BY 1 NULLS LAST, 2 NULLS LAST`,
          params: ['ml'],
        },
      ],
    },
    {
      operation: 'Trends',
      coverage: 'partial',
      note: 'only the daily pass-rate series per suite (groupedAggregates by suite, day, status; the client folds); slope, Mann–Kendall and change points are not expressible',
      graphql: `query { allResults { groupedAggregates(groupBy: [SUITE, STARTED_AT_TRUNCATED_TO_DAY, STATUS]) { keys distinctCount { rowId } } } }`,
      finish: (d) => byStatus(groups(obj(d['allResults'])['groupedAggregates'])).size,
      sql: [
        {
          text: `SELECT suite, date_trunc('day', started_at) AS bucket,
                   count(*) FILTER (WHERE status = 'PASSED')::float8 / nullif(count(*) FILTER (WHERE status <> 'SKIPPED'), 0) AS pass_rate,
                   count(*) AS n
                 FROM results GROUP BY 1, 2 ORDER BY 1, 2`,
          params: [],
        },
      ],
    },
    {
      operation: 'Workload',
      coverage: 'partial',
      note: 'per-worker counts and busy time via groupedAggregates by worker and status; shares, fail rates, Jain index and Gini computed by the client',
      graphql: `query { allResults { groupedAggregates(groupBy: [WORKER, STATUS]) { keys distinctCount { rowId } sum { durationMs } } } }`,
      finish: (d) => {
        const w = new Map<string, { n: number; busy: number }>();
        for (const g of groups(obj(d['allResults'])['groupedAggregates'])) {
          const acc = w.get(g.keys[0] ?? '') ?? { n: 0, busy: 0 };
          acc.n += g.n;
          acc.busy += g.sumMs;
          w.set(g.keys[0] ?? '', acc);
        }
        const busy = [...w.values()].map((x) => x.busy);
        const sum = busy.reduce((a, b) => a + b, 0);
        const jain = (sum * sum) / (busy.length * busy.reduce((a, b) => a + b * b, 0));
        return Number.isFinite(jain) ? w.size : 0;
      },
      sql: [
        {
          text: `SELECT worker, count(*) AS executions, sum(duration_ms) AS busy_ms,
                   count(*) FILTER (WHERE status IN ('FAILED', 'ERROR'))::float8 / nullif(count(*) FILTER (WHERE status <> 'SKIPPED'), 0) AS fail_rate
                 FROM results GROUP BY worker ORDER BY busy_ms DESC`,
          params: [],
        },
      ],
    },
    ...(
      [
        [
          'RawMetricTrend',
          'a metric inside a JSON array cannot be selected as a series, nor a regression fitted',
        ],
        ['Anomalies', 'no seasonal baseline, robust z-scores or events: analysis outside SQL aggregates'],
        [
          'FlakinessFullHistory',
          'needs each test’s attempts in order (flips, retries, commits): window logic, not an aggregate',
        ],
        ['Forecast', 'no forecasting (ETS / seasonal models)'],
        ['Compare', 'no medians, confidence intervals or tests; metrics in a JSON array'],
        ['CompareRuns', 'set differences between two runs: the client would fetch both runs and diff them'],
        ['FailurePatterns', 'no message fingerprinting or lift'],
        ['CircuitBreakers', 'Assay-specific breaker events (not in the loaded tables)'],
      ] as const
    ).map(([operation, note]): PeerOperation => ({ operation, coverage: 'none', note })),
  ];
}

// ---------------------------------------------------------------- PostGraphile

async function startPostGraphile(
  connectionString: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const preset: GraphileConfig.Preset = {
    extends: [PostGraphileAmberPreset, PgAggregatesPreset],
    // By default v5 offers conditions, order and group-by only on indexed columns; a user grouping by
    // status, suite or worker turns that off rather than index every column.
    disablePlugins: ['PgIndexBehaviorsPlugin'],
    pgServices: [makePgService({ connectionString, schemas: ['public'] })],
    grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
  };
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server: Server = createServer();
  serv.addTo(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pgl.release();
    },
  };
}

async function post(url: string, query: string, variables: Obj): Promise<Obj> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Obj; errors?: { message: string }[] };
  if (body.errors?.length || !res.ok || !body.data) {
    throw new Error(`HTTP ${res.status}: ${body.errors?.[0]?.message ?? 'no data'}`);
  }
  return body.data;
}

export interface PeerQueryFigure {
  readonly operation: string;
  readonly coverage: 'full' | 'partial' | 'none';
  readonly note: string;
  /** PostGraphile over HTTP, the client's finishing work included: the first request (plan built), then repeats. */
  readonly postgraphile?: { readonly first: number; readonly repeated: Summary; readonly rows: number };
  /** The same answer in SQL, straight on PostgreSQL through `pg` (statements in sequence). */
  readonly sql?: { readonly text: string; readonly summary: Summary; readonly rows: number };
  readonly error?: string;
}

export interface PeerReport {
  readonly postgres: string;
  readonly postgraphile: string;
  readonly pgAggregates: string;
  readonly database: string;
  readonly indexes: readonly string[];
  readonly load: LoadFigure;
  readonly queries: readonly PeerQueryFigure[];
}

async function main(): Promise<void> {
  const csvDir = args.csv;
  const testId = args['test-id'];
  if (!csvDir || !testId)
    throw new Error('usage: peer.ts --csv DIR --test-id ID [--database NAME] [--url URL]');
  const database = args.database;
  if (!/^[a-z_][a-z0-9_]*$/.test(database))
    throw new Error(`--database ${database}: use lower-case letters, digits and _`);
  const cold = Number(args.cold);
  const warm = Number(args.warm);
  const budgetMs = Number(args['budget-ms']);
  const base = args.url.replace(/\/$/, '');

  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  const version =
    (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?';
  progress(`PostgreSQL ${version}: fresh database ${database}`);
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  const connectionString = `${base}/${database}`;
  const db = new pg.Client({ connectionString });
  await db.connect();

  const loaded = await load(admin, db, csvDir);
  progress(
    `  COPY ${loaded.copyRowsPerSecond.toLocaleString('en-US')} rows/s (${loaded.copySeconds} s); keys and indexes ${loaded.indexSeconds} s; ANALYZE ${loaded.analyzeSeconds} s; ${loaded.databaseMb} MB`,
  );

  const gql = await startPostGraphile(connectionString);
  const queries: PeerQueryFigure[] = [];
  try {
    for (const op of operations(testId)) {
      try {
        let postgraphileFigure: PeerQueryFigure['postgraphile'];
        if (op.graphql) {
          const q = op.graphql;
          const once = async (): Promise<{ ms: number; rows: number }> => {
            const t0 = performance.now();
            const data = await post(gql.url, q, op.variables ?? {});
            const rows = op.finish ? op.finish(data) : 0;
            return { ms: performance.now() - t0, rows };
          };
          const first = await once();
          const repeated = await loop(warm, budgetMs, async () => (await once()).ms);
          postgraphileFigure = { first: Math.round(first.ms * 1000) / 1000, repeated, rows: first.rows };
        }
        let sqlFigure: PeerQueryFigure['sql'];
        if (op.sql) {
          const statements = op.sql;
          const once = async (): Promise<{ ms: number; rows: number }> => {
            const t0 = performance.now();
            let rows = 0;
            for (const s of statements) rows += (await db.query(s.text, [...s.params])).rowCount ?? 0;
            return { ms: performance.now() - t0, rows };
          };
          const { rows } = await once(); // warm-up
          const summary = await loop(cold, budgetMs, async () => (await once()).ms);
          sqlFigure = {
            text: statements.map((s) => s.text.replace(/\s+/g, ' ').trim()).join(';\n'),
            summary,
            rows,
          };
        }
        queries.push({
          operation: op.operation,
          coverage: op.coverage,
          note: op.note,
          ...(postgraphileFigure ? { postgraphile: postgraphileFigure } : {}),
          ...(sqlFigure ? { sql: sqlFigure } : {}),
        });
        progress(
          `  ${op.operation} (${op.coverage}): ` +
            (postgraphileFigure
              ? `PostGraphile first ${postgraphileFigure.first.toFixed(1)} ms, repeated p50 ${postgraphileFigure.repeated.p50} ms (n ${postgraphileFigure.repeated.n}, ${postgraphileFigure.rows} rows)`
              : 'PostGraphile: not expressible') +
            (sqlFigure ? `; SQL p50 ${sqlFigure.summary.p50} ms (${sqlFigure.rows} rows)` : ''),
        );
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        queries.push({ operation: op.operation, coverage: op.coverage, note: op.note, error });
        progress(`  ${op.operation} FAILED: ${error}`);
      }
    }
  } finally {
    await gql.close();
    await db.end();
    await admin.end();
  }
  const pkg = (name: string): string => {
    try {
      const file = new URL(`./node_modules/${name}/package.json`, import.meta.url);
      return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      return '?';
    }
  };
  const report: PeerReport = {
    postgres: version,
    postgraphile: pkg('postgraphile'),
    pgAggregates: pkg('@graphile/pg-aggregates'),
    database,
    indexes: INDEXES,
    load: loaded,
    queries,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`peer failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
