/**
 * The reference data set of the speed goals (10M results): `tests` tests, each run
 * in `runs` runs of its project, one result per test per run plus retries,
 * generated in DuckDB SQL from a seed into bench/data/, and reused while its
 * parameters match. See bench/README.md ("The reference data set").
 *
 * Also a CLI, so the bench can build the set in a child process (its memory
 * then never counts against the server's):
 *   node --import tsx bench/reference.ts [--tests 5000] [--runs 2000] [--seed 42] [--json]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Database } from '../src/db/database.ts';
import { type WriteTx } from '../src/db/write-tx.ts';
import { MIGRATIONS } from '../src/db/migrations.ts';
import { refoldRuns } from '../src/db/rollups.ts';
import { toNumber, ts } from '../src/db/values.ts';
import { finishBulkLoad, stagedRunsSql, stagedTestsSql } from '../src/db/staging.ts';

/** Raise when the generated rows change, so every stored set is rebuilt. */
const GENERATOR_VERSION = 1;
/** History length, and where it ends (fixed, so the same seed gives the same file on any day). */
const DAYS = 60;
const END = new Date('2026-11-01T00:00:00Z');
/** About this many results per INSERT…SELECT (and per transaction): bounds the build's memory. */
const CHUNK_RESULTS = 500_000;

export const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

/**
 * Five projects, 40 suites. `share` of the tests; `retries`: a failed first
 * attempt is rerun once (web and ml: about 1/3 of the tests); `ml`: tests
 * carry model and batch_size tags and throughput, latency_ms and memory_mb
 * metrics, and run on GPUs in CUDA runs. Each failure template has one `{}`.
 */
const REFERENCE_PROJECTS = [
  {
    project: 'web',
    share: 0.24,
    ci: 'github',
    retries: true,
    ml: false,
    medianMs: 1800,
    timeoutMs: 30_000,
    macos: 0,
    prefix: 'renders page',
    suites: ['auth', 'checkout', 'search', 'profile', 'cart', 'catalog', 'admin', 'i18n', 'a11y'],
    failures: [
      "TimeoutError: locator.click: Timeout {}ms exceeded waiting for '#submit'",
      'expect(received).toBe(expected): expected 200, received {}',
      'net::ERR_CONNECTION_RESET at http://localhost:{}/',
    ],
  },
  {
    project: 'api',
    share: 0.28,
    ci: 'jenkins',
    retries: false,
    ml: false,
    medianMs: 90,
    timeoutMs: 10_000,
    macos: 0,
    prefix: 'handles request',
    suites: [
      'users',
      'billing',
      'orders',
      'inventory',
      'shipping',
      'payments',
      'query',
      'sessions',
      'reports',
      'webhooks',
    ],
    failures: [
      'java.net.SocketTimeoutException: Read timed out after {} ms',
      'org.opentest4j.AssertionFailedError: expected: <200> but was: <{}>',
      'org.postgresql.util.PSQLException: ERROR: deadlock detected (pid {})',
    ],
  },
  {
    project: 'mobile',
    share: 0.2,
    ci: 'bitrise',
    retries: false,
    ml: false,
    medianMs: 2500,
    timeoutMs: 60_000,
    macos: 0.5,
    prefix: 'shows screen',
    suites: [
      'onboarding',
      'feed',
      'messaging',
      'settings',
      'camera',
      'notifications',
      'offline',
      'purchases',
    ],
    failures: [
      "Timed out after {} ms waiting for element 'LoginButton'",
      'XCTAssertEqual failed: ("{}") is not equal to ("0")',
      'App crashed: EXC_BAD_ACCESS (code=1, address=0x{})',
    ],
  },
  {
    project: 'data',
    share: 0.18,
    ci: 'gitlab',
    retries: false,
    ml: false,
    medianMs: 400,
    timeoutMs: 120_000,
    macos: 0,
    prefix: 'transforms partition',
    suites: ['ingest', 'transform', 'export', 'quality', 'schema', 'backfill', 'scheduler'],
    failures: [
      'TimeoutError: partition not ready after {} ms',
      'AssertionError: row count {} != expected 1000',
      'pyarrow.lib.ArrowInvalid: column 3 has {} nulls',
    ],
  },
  {
    project: 'ml',
    share: 0.1,
    ci: 'jenkins',
    retries: true,
    ml: true,
    medianMs: 2000,
    timeoutMs: 300_000,
    macos: 0,
    prefix: 'test_model_case',
    suites: ['inference', 'training', 'loaders', 'quantization', 'serving', 'evaluation'],
    failures: [
      'TimeoutError: model server did not answer within {} ms',
      'RuntimeError: CUDA error: out of memory (tried to allocate {} MiB)',
      'AssertionError: latency {} ms above the budget',
    ],
  },
] as const;

/** Planted roles, as shares of the tests (ranked by a hash of the seed and the test id). */
const ROLES = { flaky: 0.006, skipped: 0.01, fragile: 0.03, broken: 0.01 } as const;
/** Flake rates of the flaky tests, in turn: the chance that one attempt fails for no reason of its own. */
export const FLAKE_RATES = [0.02, 0.05, 0.1, 0.15, 0.25, 0.4] as const;
/** The api suite whose durations grow 1.35× over the last third of the history (a trend to find). */
const SLOWED_SUITE = { project: 'api', suite: 'billing', factor: 1.35 } as const;

interface ReferenceOptions {
  /** @default 5000 */
  readonly tests?: number;
  /** Runs per project; every test of a project runs in each of them. @default 2000 */
  readonly runs?: number;
  /** @default 42 */
  readonly seed?: number;
  /** The file; default bench/data/reference-<tests>x<runs>-s<seed>.duckdb. */
  readonly path?: string;
  readonly onProgress?: (message: string) => void;
}

export interface ReferenceSet {
  readonly path: string;
  readonly results: number;
  readonly executions: number;
  /** Run rows: `runsPerProject` × the number of projects. */
  readonly runs: number;
  readonly runsPerProject: number;
  readonly tests: number;
  readonly projects: readonly string[];
  readonly seed: number;
  readonly from: string;
  readonly to: string;
  readonly reused: boolean;
  /** This call's build time (0 when reused), and the stored set's own build time. */
  readonly buildSeconds: number;
  readonly builtSeconds: number;
  readonly fileMb: number;
}

/** What must match for a stored file to be reused. */
function parametersOf(
  tests: number,
  runs: number,
  seed: number,
  duckdb: string,
): Record<string, string | number> {
  return {
    generator: GENERATOR_VERSION,
    schema: Math.max(...MIGRATIONS.map((m) => m.version)),
    duckdb,
    tests,
    runs,
    seed,
    days: DAYS,
    end: END.toISOString(),
  };
}

const referencePath = (tests: number, runs: number, seed: number): string =>
  join(DATA_DIR, `reference-${tests}x${runs}-s${seed}.duckdb`);

function fileMb(path: string): number {
  const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
  return Math.round((size(path) + size(`${path}.wal`)) / 1024 / 102.4) / 10;
}

function removeFile(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}

interface Stored {
  readonly params: string;
  readonly built_seconds: number;
  readonly complete: boolean;
}

/**
 * Reads the stored parameters with a bare DuckDB instance, before
 * Database.open would migrate (and, for some migrations, backfill) a file
 * that is about to be rebuilt anyway.
 */
async function readStored(path: string): Promise<{ stored: Stored | null; duckdb: string }> {
  const instance = await DuckDBInstance.create(path);
  try {
    const c = await instance.connect();
    try {
      const version = String(
        (await c.runAndReadAll('SELECT version() AS v')).getRowObjectsJS()[0]?.['v'] ?? '',
      );
      const has = await c.runAndReadAll(
        "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'bench_reference'",
      );
      if (toNumber(has.getRowObjectsJS()[0]?.['n'] ?? 0) === 0) return { stored: null, duckdb: version };
      const rows = (
        await c.runAndReadAll(
          `SELECT params::VARCHAR AS params, built_seconds,
                (SELECT count(*) FROM results) = results AND (SELECT count(*) FROM runs) = runs AS complete
         FROM bench_reference`,
        )
      ).getRowObjectsJS();
      const r = rows[0];
      return {
        stored: r
          ? {
              params: String(r['params']),
              built_seconds: Number(r['built_seconds']),
              complete: r['complete'] === true,
            }
          : null,
        duckdb: version,
      };
    } finally {
      c.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

async function duckdbVersion(): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const c = await instance.connect();
    const v = String((await c.runAndReadAll('SELECT version() AS v')).getRowObjectsJS()[0]?.['v'] ?? '');
    c.closeSync();
    return v;
  } finally {
    instance.closeSync();
  }
}

async function facts(
  db: Database,
): Promise<{ results: number; executions: number; runs: number; tests: number }> {
  const [r] = await db.query<{ results: bigint; executions: bigint; runs: bigint; tests: bigint }>(
    'SELECT (SELECT count(*) FROM results) AS results, (SELECT count(*) FROM executions) AS executions, (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM tests) AS tests',
  );
  return {
    results: toNumber(r?.results ?? 0),
    executions: toNumber(r?.executions ?? 0),
    runs: toNumber(r?.runs ?? 0),
    tests: toNumber(r?.tests ?? 0),
  };
}

// ---------------------------------------------------------------- SQL

/** Deterministic uniforms and normals from hash() (see src/db/demo.ts for why not random()). */
const MACROS = [
  'CREATE OR REPLACE TEMP MACRO ref_u(a, b, c) AS ((hash(hash(a, b, c)) >> 11)::DOUBLE / 9007199254740992.0)',
  "CREATE OR REPLACE TEMP MACRO ref_z(a, b, c) AS (sqrt(-2 * ln(1 - ref_u(a, b || '/r', c))) * cos(2 * pi() * ref_u(a, b || '/t', c)))",
];

const PROJECT_SHAPE = JSON.stringify([
  {
    project: 'VARCHAR',
    pidx: 'INTEGER',
    first: 'BIGINT',
    count: 'BIGINT',
    suites: ['VARCHAR'],
    failures: ['VARCHAR'],
    retries: 'BOOLEAN',
    ml: 'BOOLEAN',
    medianMs: 'DOUBLE',
    timeoutMs: 'DOUBLE',
    prefix: 'VARCHAR',
    ci: 'VARCHAR',
    macos: 'DOUBLE',
  },
]);

/**
 * One row per test. $1 projects JSON, $2 seed, $3 history start, $4 days,
 * $5..$8 counts of flaky, skipped, fragile and broken tests.
 */
const TESTS_SQL = `
CREATE OR REPLACE TEMP TABLE ref_tests AS
WITH p AS (SELECT unnest(from_json($1::JSON, '${PROJECT_SHAPE}'), recursive := true)),
t AS (SELECT p.*, unnest(range(p.count)) AS j FROM p),
named AS (
  SELECT *, first + j AS ord, len(suites) AS n_suites,
         suites[1 + (j % n_suites)::INTEGER] AS suite,
         upper(suite[1]) || suite[2:] || 'Test' || (j // (n_suites * 12)) AS class_name,
         prefix || CASE WHEN ml THEN '[' || j || ']' ELSE ' ' || j END AS name,
         CASE WHEN ml THEN 8 ELSE 32 END AS lanes, j % lanes AS lane
  FROM t
),
ided AS (
  SELECT *, substr(sha256(project || chr(31) || suite || chr(31) || class_name || chr(31) || name), 1, 16) AS id,
         hash($2::BIGINT, id) AS salt
  FROM named
),
ranked AS (SELECT *, row_number() OVER (ORDER BY hash(salt, 'role'), id) - 1 AS rk FROM ided),
roled AS (
  SELECT *,
         CASE WHEN rk < $5 THEN 'flaky' WHEN rk < $5 + $6 THEN 'skipped' WHEN rk < $5 + $6 + $7 THEN 'fragile'
              WHEN rk < $5 + $6 + $7 + $8 THEN 'broken' ELSE 'normal' END AS role,
         CASE WHEN role = 'flaky' THEN ${JSON.stringify(FLAKE_RATES)}[1 + (rk % ${FLAKE_RATES.length})::INTEGER] END AS flake_rate,
         CASE WHEN role = 'fragile' THEN 0.02 + 0.1 * pow(ref_u(salt, 'fragile', 0), 2) END AS fail_rate,
         0.0002 + 0.002 * pow(ref_u(salt, 'noise', 0), 2) AS noise,
         -- a broken test fails every execution for one to five days; the last tenth of them stay broken to the end
         CASE WHEN role = 'broken' AND rk >= $5 + $6 + $7 + floor($8 * 0.9) THEN $3::TIMESTAMP + to_milliseconds(((($4 - 4) + 3 * ref_u(salt, 'from', 0)) * 86400000)::BIGINT)
              WHEN role = 'broken' THEN $3::TIMESTAMP + to_milliseconds((($4 - 6) * ref_u(salt, 'from', 0) * 86400000)::BIGINT) END AS broken_from,
         CASE WHEN rk >= $5 + $6 + $7 + floor($8 * 0.9) THEN broken_from + INTERVAL 365 DAY
              ELSE broken_from + to_milliseconds(((1 + 4 * ref_u(salt, 'for', 0)) * 86400000)::BIGINT) END AS broken_to,
         failures[1 + (hash(salt, 'kind') % len(failures))::INTEGER] AS failure_tpl,
         hash(salt, 'kind') % len(failures) = 0 AS timeout_failure,
         medianMs * exp(0.9 * ref_z(salt, 'base', 0)) AS base_ms,
         0.08 + 0.25 * ref_u(salt, 'sigma', 0) AS sigma,
         project = '${SLOWED_SUITE.project}' AND suite = '${SLOWED_SUITE.suite}' AS slowed,
         CASE WHEN ml THEN ['bert-base', 'resnet50', 'gpt2-small'][1 + (hash(salt, 'model') % 3)::INTEGER] END AS model,
         CASE WHEN ml THEN ['8', '16', '32'][1 + (hash(salt, 'bs') % 3)::INTEGER] END AS batch_size,
         CASE model WHEN 'bert-base' THEN 9 WHEN 'resnet50' THEN 6 ELSE 15 END * pow(batch_size::INTEGER / 8, 0.7) * exp(0.15 * ref_z(salt, 'lat', 0)) AS lat_ms,
         CASE model WHEN 'bert-base' THEN 440 + 38 * batch_size::INTEGER WHEN 'resnet50' THEN 100 + 22 * batch_size::INTEGER ELSE 520 + 60 * batch_size::INTEGER END AS mem_mb
  FROM ranked
)
SELECT * EXCLUDE (suites, failures, first, count, medianMs, prefix, n_suites),
       -- where the test starts within its run: after the tests before it on the same worker lane
       coalesce(sum(base_ms + 40) OVER (PARTITION BY project, lane ORDER BY j ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS offset_ms
FROM roled`;

/**
 * One row per run: `runs` per project, spread evenly with jitter over the
 * history, 60% on main and the rest on three feature branches. A commit
 * lasts about 2.5 main runs on main and 1.5 runs on a branch, so several
 * runs often share one. $1 projects JSON, $2 seed, $3 runs per project,
 * $4 history start, $5 days, $6 first seq.
 */
const RUNS_SQL = `
CREATE OR REPLACE TEMP TABLE ref_runs AS
WITH p AS (SELECT unnest(from_json($1::JSON, '${PROJECT_SHAPE}'), recursive := true)),
drawn AS (SELECT project, pidx, ci, macos, ml, unnest(range($3::BIGINT)) AS i FROM p),
timed AS (
  SELECT *, hash($2::BIGINT, project, i) AS salt,
         $4::TIMESTAMP + to_milliseconds(((i + 0.9 * ref_u(salt, 'start', 0)) / $3 * $5 * 86400000)::BIGINT) AS started_at,
         CASE WHEN ref_u(salt, 'branch', 0) < 0.6 THEN 'main'
              ELSE ['feature/' || project || '-search', 'fix/' || project || '-timeouts', 'chore/' || project || '-deps'][1 + (hash(salt, 'b') % 3)::INTEGER] END AS branch,
         -- hours between commits: 2.5 (main) or 1.5 (branch) times the mean gap between that branch's runs
         $5 * 24.0 / $3 * CASE WHEN branch = 'main' THEN 2.5 / 0.6 ELSE 1.5 / (0.4 / 3) END AS commit_hours
  FROM drawn
)
SELECT $6::BIGINT - 1 + row_number() OVER (ORDER BY started_at, pidx, i) AS seq,
       'ref-' || project || '-' || lpad((i + 1)::VARCHAR, 6, '0') AS id,
       project, branch, started_at, salt, ml,
       substr(sha256(concat($2::BIGINT, '/', project, '/', branch, '/', floor(epoch(started_at) / (commit_hours * 3600)))), 1, 10) AS commit_sha,
       map(['ci', 'os'], [ci, CASE WHEN ref_u(salt, 'os', 0) < macos THEN 'macos' ELSE 'linux' END]) AS tags,
       CASE WHEN ml AND ref_u(salt, 'hw', 0) < 0.7 THEN 'cuda' ELSE 'cpu' END AS hardware,
       isodow(started_at) < 6 AND hour(started_at) BETWEEN 8 AND 17 AS busy,
       (hash(salt, 'rot') % 32)::INTEGER AS rot,
       20000 + 40000 * ref_u(salt, 'setup', 0) AS setup_ms
FROM timed`;

const attemptStatus = (a: 1 | 2): string =>
  `CASE WHEN role = 'skipped' THEN 'SKIPPED' WHEN ref_u(k, 'fail', ${a}) < fail_p THEN CASE WHEN ref_u(k, 'err', ${a}) < 0.2 THEN 'ERROR' ELSE 'FAILED' END ELSE 'PASSED' END`;

/** Log-normal around the test's base; a timeout lasts the timeout, other failures stop early. */
const attemptDuration = (a: 1 | 2): string => `round(CASE s${a}
  WHEN 'SKIPPED' THEN 0
  WHEN 'PASSED' THEN greatest(1, base * exp(sigma * ref_z(k, 'dur', ${a})))
  ELSE CASE WHEN timeout_failure THEN timeoutMs + 200 * ref_u(k, 'late', ${a})
            ELSE greatest(1, base * exp(sigma * ref_z(k, 'dur', ${a})) * (0.3 + 0.7 * ref_u(k, 'early', ${a}))) END END, 1)`;

/**
 * Every result of the runs with seq in [$1, $2]; ids from $3. Tags are the
 * run's overlaid with the result's own (model, batch_size), as
 * write-batch.ts stores them; metrics on passed ML results.
 */
const RESULTS_SQL = `
INSERT INTO results (id, run_seq, test_id, attempt, status, duration_ms, started_at, project, suite, branch, commit_sha,
                     worker, hardware, message, stack_trace, tags, metrics)
WITH plan AS (
  SELECT r.seq, r.started_at AS run_at, r.setup_ms, r.branch, r.commit_sha, r.tags AS run_tags, r.busy, r.rot,
         t.*, hash(r.salt, t.salt) AS k,
         t.ml AND r.hardware = 'cuda' AS on_gpu,
         CASE t.role WHEN 'skipped' THEN 1.0 WHEN 'flaky' THEN t.flake_rate WHEN 'fragile' THEN t.fail_rate
              WHEN 'broken' THEN CASE WHEN r.started_at >= t.broken_from AND r.started_at < t.broken_to THEN 1.0 ELSE t.noise END
              ELSE t.noise END AS fail_p,
         t.base_ms * CASE WHEN r.busy THEN 1.1 ELSE 1 END
                   * CASE WHEN t.ml AND r.hardware = 'cpu' THEN 3 ELSE 1 END
                   * CASE WHEN t.slowed AND r.started_at >= $4 THEN ${SLOWED_SUITE.factor} ELSE 1 END AS base
  FROM ref_runs r JOIN ref_tests t ON t.project = r.project
  WHERE r.seq BETWEEN $1 AND $2
),
drawn AS (
  SELECT *, ${attemptStatus(1)} AS s1, ${attemptStatus(2)} AS s2,
         ${attemptDuration(1)} AS d1, ${attemptDuration(2)} AS d2,
         -- a retry runs on the same worker, right after the first attempt
         CASE WHEN on_gpu THEN 'gpu-' || (1 + (lane + rot) % 8) ELSE 'w' || (1 + (lane + rot) % 32) END AS worker,
         run_at + to_milliseconds((setup_ms + offset_ms * base / base_ms)::BIGINT) AS start1,
         CASE WHEN ml THEN map_concat(run_tags, map(['model', 'batch_size'], [model, batch_size])) ELSE run_tags END AS tags
  FROM plan
),
attempts AS (
  SELECT *, unnest(CASE WHEN retries AND s1 IN ('FAILED', 'ERROR') THEN [1, 2] ELSE [1] END) AS attempt FROM drawn
),
shaped AS (
  SELECT *, CASE attempt WHEN 1 THEN s1 ELSE s2 END AS status, CASE attempt WHEN 1 THEN d1 ELSE d2 END AS dur,
         CASE WHEN status IN ('FAILED', 'ERROR') THEN format(failure_tpl, CASE WHEN timeout_failure THEN timeoutMs::BIGINT ELSE 100 + hash(k, 'n', attempt) % 900 END) END AS failure,
         lat_ms * CASE WHEN on_gpu THEN 1 ELSE 8.5 END * exp(0.05 * ref_z(k, 'lat', attempt)) * CASE WHEN busy THEN 1.03 ELSE 1 END AS lat
  FROM attempts
)
SELECT $3::BIGINT - 1 + row_number() OVER (ORDER BY seq, ord, attempt), seq, id, attempt, status, dur,
       CASE attempt WHEN 1 THEN start1 ELSE start1 + to_milliseconds((d1 + 500)::BIGINT) END,
       project, suite, branch, commit_sha, worker, CASE WHEN on_gpu THEN 'cuda' ELSE 'cpu' END,
       CASE WHEN status = 'SKIPPED' THEN 'disabled: waiting for a fix of the fixture' ELSE failure END,
       CASE WHEN failure IS NOT NULL THEN format('at {}.{}({}/{}.java:{})', class_name, replace(name, ' ', '_'), suite, class_name, 12 + hash(salt, 'line') % 180) END,
       tags,
       CASE WHEN ml AND status = 'PASSED' THEN [
         {'name': 'throughput', 'value': round(batch_size::INTEGER * 1000 / lat, 1), 'unit': 'items/s'},
         {'name': 'latency_ms', 'value': round(lat, 2), 'unit': 'ms'},
         {'name': 'memory_mb', 'value': round(mem_mb * exp(0.02 * ref_z(k, 'mem', attempt))), 'unit': 'MB'}]
       ELSE [] END::STRUCT(name VARCHAR, value DOUBLE, unit VARCHAR)[]
FROM shaped
ORDER BY seq, ord, attempt`;

const PLANTED_SQL = `
CREATE TABLE bench_reference_planted AS
SELECT id AS test_id, project, suite, name, role, flake_rate, fail_rate, broken_from, broken_to
FROM ref_tests WHERE role <> 'normal' ORDER BY role, id`;

// ---------------------------------------------------------------- build

async function scalar(tx: WriteTx, sql: string, params: readonly bigint[] = []): Promise<number> {
  const rows = await tx.query<{ v: unknown }>(sql, params);
  return toNumber(rows[0]?.v ?? 0);
}

/** Test counts per project: shares of `tests`, the rounding remainder to the largest. */
function projectPlan(tests: number): string {
  const counts = REFERENCE_PROJECTS.map((p) => Math.floor(tests * p.share));
  const largest = counts.indexOf(Math.max(...counts));
  counts[largest] = (counts[largest] ?? 0) + tests - counts.reduce((a, b) => a + b, 0);
  let first = 0;
  return JSON.stringify(
    REFERENCE_PROJECTS.map((p, pidx) => {
      const count = counts[pidx] ?? 0;
      const row = { ...p, pidx, first, count, suites: [...p.suites], failures: [...p.failures] };
      first += count;
      return row;
    }),
  );
}

async function build(
  path: string,
  tests: number,
  runs: number,
  seed: number,
  params: Record<string, string | number>,
  onProgress: (m: string) => void,
): Promise<number> {
  const t0 = performance.now();
  const from = new Date(END.getTime() - DAYS * 86_400_000);
  const slowedSince = new Date(END.getTime() - Math.round(DAYS / 3) * 86_400_000);
  const projects = projectPlan(tests);
  // An offline build, in its own process: let DuckDB use memory rather than spill.
  const db = await Database.open({ path, memoryLimit: '8GB' });
  try {
    const plan = await db.write(async (tx) => {
      for (const sql of MACROS) await tx.query(sql);
      const n = (share: number) => BigInt(Math.max(1, Math.round(tests * share)));
      await tx.query(TESTS_SQL, [
        projects,
        BigInt(seed),
        ts(from),
        DAYS,
        n(ROLES.flaky),
        n(ROLES.skipped),
        n(ROLES.fragile),
        n(ROLES.broken),
      ]);
      const firstSeq = await scalar(tx, "SELECT value AS v FROM meta WHERE key = 'next_run_seq'");
      await tx.query(RUNS_SQL, [projects, BigInt(seed), BigInt(runs), ts(from), DAYS, BigInt(firstSeq)]);
      const firstId = await scalar(tx, "SELECT value AS v FROM meta WHERE key = 'next_result_id'");
      const lastSeq = await scalar(tx, 'SELECT max(seq) AS v FROM ref_runs');
      // Attempt-1 rows per run, to cut the runs into chunks of about CHUNK_RESULTS results.
      const perRun = await tx.query<{ seq: bigint; n: bigint }>(
        'SELECT r.seq, count(*) AS n FROM ref_runs r JOIN ref_tests t ON t.project = r.project GROUP BY r.seq ORDER BY r.seq',
      );
      return {
        firstSeq,
        lastSeq,
        firstId,
        perRun: perRun.map((r) => ({ seq: toNumber(r.seq), n: toNumber(r.n) })),
      };
    });
    const chunks: { from: number; to: number; n: number }[] = [];
    for (const r of plan.perRun) {
      const last = chunks.at(-1);
      if (last && last.n + r.n <= CHUNK_RESULTS) {
        last.to = r.seq;
        last.n += r.n;
      } else chunks.push({ from: r.seq, to: r.seq, n: r.n });
    }
    const expected = chunks.reduce((s, c) => s + c.n, 0);
    onProgress(
      `reference set: ${tests.toLocaleString('en-US')} tests × ${runs.toLocaleString('en-US')} runs per project (${plan.perRun.length.toLocaleString('en-US')} runs), ` +
        `about ${expected.toLocaleString('en-US')} results plus retries, in ${chunks.length} chunks → ${path}`,
    );

    let nextId = plan.firstId;
    let done = 0;
    const tChunks = performance.now();
    for (const [i, c] of chunks.entries()) {
      const inserted = await db.write(async (tx) => {
        const [row] = await tx.query<{ Count: bigint }>(RESULTS_SQL, [
          BigInt(c.from),
          BigInt(c.to),
          BigInt(nextId),
          ts(slowedSince),
        ]);
        await tx.query(stagedRunsSql('ref', { ranged: true }), [BigInt(c.from), BigInt(c.to)]);
        await refoldRuns(tx, c.from, c.to, { fresh: true });
        return toNumber(row?.Count ?? 0);
      });
      nextId += inserted;
      done += inserted;
      const s = (performance.now() - tChunks) / 1000;
      const rate = done / s;
      const left =
        (expected -
          Math.min(
            expected,
            chunks.slice(0, i + 1).reduce((a, x) => a + x.n, 0),
          )) /
        (rate || 1);
      onProgress(
        `  chunk ${i + 1}/${chunks.length}: ${done.toLocaleString('en-US')} results (${Math.round(((i + 1) / chunks.length) * 100)}%), ` +
          `${Math.round(rate).toLocaleString('en-US')} results/s, about ${Math.round(left)} s left`,
      );
    }

    onProgress('  tests, execution sequences, meta…');
    await db.write(async (tx) => {
      await tx.query(stagedTestsSql('ref'));
      // What ingest maintains per run (write-batch.ts), computed once for the whole history, as demo.ts does.
      await finishBulkLoad(tx);
      await tx.query(PLANTED_SQL);
      const seconds = Math.round(performance.now() - t0) / 1000;
      await tx.query(
        'CREATE TABLE bench_reference (params JSON NOT NULL, built_at TIMESTAMP NOT NULL, built_seconds DOUBLE NOT NULL, results BIGINT NOT NULL, runs BIGINT NOT NULL)',
      );
      await tx.query(
        'INSERT INTO bench_reference SELECT $1::JSON, now(), $2, (SELECT count(*) FROM results), (SELECT count(*) FROM runs)',
        [JSON.stringify(params), seconds],
      );
      for (const sql of [
        'DROP TABLE ref_runs',
        'DROP TABLE ref_tests',
        'DROP MACRO ref_z',
        'DROP MACRO ref_u',
      ])
        await tx.query(sql);
    });
  } finally {
    await db.close();
  }
  const seconds = Math.round(performance.now() - t0) / 1000;
  onProgress(`  built in ${seconds} s (${fileMb(path)} MB on disk)`);
  return seconds;
}

/**
 * The reference set at `path`: reused when the file exists and was built
 * with the same parameters (generator version, schema version, DuckDB
 * version, tests, runs, seed, days, end), else rebuilt from scratch.
 */
async function ensureReferenceSet(options: ReferenceOptions = {}): Promise<ReferenceSet> {
  const { tests = 5000, runs = 2000, seed = 42, onProgress = () => {} } = options;
  if (!Number.isInteger(tests) || tests < REFERENCE_PROJECTS.length * 40)
    throw new RangeError(
      `tests must be a whole number of at least ${REFERENCE_PROJECTS.length * 40}, got ${tests}`,
    );
  if (!Number.isInteger(runs) || runs < 10)
    throw new RangeError(`runs must be a whole number of at least 10, got ${runs}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const path = options.path ?? referencePath(tests, runs, seed);
  mkdirSync(dirname(path), { recursive: true });

  let reused = false;
  let buildSeconds = 0;
  let builtSeconds = 0;
  if (existsSync(path)) {
    const { stored, duckdb } = await readStored(path).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      // Another process has it open (a second bench, a server): never delete a file in use.
      if (/lock/i.test(message))
        throw new Error(`cannot check the reference set ${path}: ${message}`, { cause: err });
      return { stored: null, duckdb: '' }; // not a DuckDB file we can read: rebuilt below
    });
    const params = parametersOf(tests, runs, seed, duckdb);
    if (stored?.complete && stored.params === JSON.stringify(params)) {
      reused = true;
      builtSeconds = stored.built_seconds;
      onProgress(`reference set: reusing ${path} (built in ${builtSeconds} s)`);
    } else {
      const wanted = JSON.stringify(params);
      const differ = (() => {
        try {
          const had = JSON.parse(stored?.params ?? '{}') as Record<string, unknown>;
          return Object.keys(params)
            .filter((k) => had[k] !== params[k])
            .map((k) => `${k} ${JSON.stringify(had[k])} → ${JSON.stringify(params[k])}`)
            .join(', ');
        } catch {
          return wanted;
        }
      })();
      onProgress(
        `reference set: ${path} ${!stored ? 'is not a finished reference set' : !stored.complete ? 'is incomplete' : `was built with other parameters (${differ})`}; rebuilding`,
      );
    }
  }
  if (!reused) {
    removeFile(path);
    const params = parametersOf(tests, runs, seed, await duckdbVersion());
    buildSeconds = builtSeconds = await build(path, tests, runs, seed, params, onProgress);
  }
  const db = await Database.open({ path, readers: 1 });
  try {
    const f = await facts(db);
    return {
      path,
      ...f,
      runsPerProject: runs,
      projects: REFERENCE_PROJECTS.map((p) => p.project),
      seed,
      from: new Date(END.getTime() - DAYS * 86_400_000).toISOString(),
      to: END.toISOString(),
      reused,
      buildSeconds,
      builtSeconds,
      fileMb: fileMb(path),
    };
  } finally {
    await db.close();
  }
}

/**
 * ensureReferenceSet in a child process (this file's CLI), so the build's
 * memory (DuckDB holds up to a few GB while it folds 10M results) never
 * shows in the calling process's resident set. Progress goes to stderr.
 */
export function ensureReferenceSetInChild(options: {
  tests: number;
  runs: number;
  seed: number;
}): Promise<ReferenceSet> {
  const script = fileURLToPath(import.meta.url);
  const args = [
    '--import',
    'tsx',
    script,
    '--tests',
    String(options.tests),
    '--runs',
    String(options.runs),
    '--seed',
    String(options.seed),
    '--json',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0)
        return reject(
          new Error(`building the reference set failed (exit code ${code}); see the messages above`),
        );
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as ReferenceSet);
      } catch {
        reject(new Error(`the reference set builder printed no result: ${out.slice(0, 300)}`));
      }
    });
  });
}

// ---------------------------------------------------------------- CLI

function cli(argv: readonly string[]): { tests: number; runs: number; seed: number; json: boolean } {
  const out = { tests: 5000, runs: 2000, seed: 42, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') out.json = true;
    else if (a === '--tests' || a === '--runs' || a === '--seed') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v)) throw new Error(`${a} needs a whole number`);
      out[a.slice(2) as 'tests' | 'runs' | 'seed'] = v;
    } else
      throw new Error(
        `unknown argument ${a}; usage: reference.ts [--tests N] [--runs N] [--seed N] [--json]`,
      );
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = cli(process.argv.slice(2));
  const log = (m: string) =>
    process.stderr.write(`[reference ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  ensureReferenceSet({ ...args, onProgress: log }).then(
    (set) => {
      process.stdout.write(args.json ? `${JSON.stringify(set)}\n` : `${JSON.stringify(set, null, 2)}\n`);
    },
    (err: unknown) => {
      process.stderr.write(
        `reference set failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
