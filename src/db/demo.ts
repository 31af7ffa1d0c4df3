import type { Database } from './database.ts';
import type { WriteTx } from './write-tx.ts';
import {
  FLAKY,
  BROKEN,
  SLOWED,
  FLAKY_WORKER,
  LOST_WORKER,
  WORKER_FAILURE,
  STICKY_RETRY,
  SLOWDOWN,
  CATALOG_TYPES,
  catalog,
} from './demo-catalog.ts';
import { FAILURES } from './demo-failures.ts';
import { refoldRuns } from './rollups.ts';
import { toNumber, ts } from './values.ts';
import { testId } from '../domain/ids.ts';
import { finishBulkLoad, stagedRunsSql, stagedTestsSql } from './staging.ts';
import type { DemoFacts, DemoOptions } from './demo-facts.ts';

export type { DemoFacts, DemoOptions } from './demo-facts.ts';

// ---------------------------------------------------------------- planted facts

// ---------------------------------------------------------------- SQL

/**
 * Pseudo-randomness from hash(), not random(): random() is per-thread state,
 * so parallel scans would make the output differ between two runs of one seed.
 * The outer hash() re-mixes: hash(a, b, 1) and hash(a, b, 2) differ only by an
 * XOR with a constant, which would tie the draws for attempts 1 and 2 together.
 */
const MACROS = [
  'CREATE TEMP MACRO demo_u(a, b, c) AS ((hash(hash(a, b, c)) >> 11)::DOUBLE / 9007199254740992.0)',
  // Box-Muller: a standard normal from two uniforms.
  "CREATE TEMP MACRO demo_z(a, b, c) AS (sqrt(-2 * ln(1 - demo_u(a, b || '/r', c))) * cos(2 * pi() * demo_u(a, b || '/t', c)))",
];

/** The catalog arrives as one JSON parameter; `shape` is our constant CATALOG_TYPES, since from_json needs a literal. */
const testsSql = (shape: string): string => `
CREATE TEMP TABLE demo_tests AS
WITH c AS (
  SELECT *, substr(sha256(project || chr(31) || suite || chr(31) || coalesce(class_name, '') || chr(31) || name), 1, 16) AS id
  FROM (SELECT unnest(from_json($1::JSON, '${shape}'), recursive := true))
)
SELECT c.* EXCLUDE (base_ms, added), hash($2::BIGINT, id) AS salt,
       base_ms * exp(0.45 * demo_z(salt, 'base', 0)) AS base_ms,
       0.08 + 0.2 * demo_u(salt, 'sigma', 0) AS sigma,
       CASE WHEN role IN ('normal', 'slowed') THEN 0.0005 + 0.006 * pow(demo_u(salt, 'noise', 0), 2) ELSE 0 END AS noise,
       12 + (hash(id, 'line') % 180)::INTEGER AS line, 5 + (hash(id, 'col') % 16)::INTEGER AS col,
       $3::TIMESTAMP - to_days($4::INTEGER) + to_milliseconds((added * $4 * 86400000)::BIGINT) AS added_at
FROM c`;

const FAILURES_SQL = `
CREATE TEMP TABLE demo_failures AS
SELECT unnest(from_json($1::JSON, '[{"kind":"VARCHAR","status":"VARCHAR","message":"VARCHAR","nLo":"BIGINT","nHi":"BIGINT","xLo":"DOUBLE","xHi":"DOUBLE","timeoutMs":"DOUBLE"}]'), recursive := true)`;

/** Runs per project and hour: a working-hours rhythm (UTC), quiet nights and weekends. */
const RUNS_SQL = `
CREATE TEMP TABLE demo_runs AS
WITH projects(project, ci, prefix, day_rate, night_rate, branches, setup_ms, retries, build0) AS (VALUES
  ('web', 'github', 'gha', 3.0, 0.25, ['feature/checkout-redesign', 'fix/login-redirect', 'feature/dark-mode'], 25000, 1, 18000),
  ('api', 'jenkins', 'jenkins', 2.4, 0.2, ['feature/bulk-refunds', 'fix/vat-rounding', 'chore/spring-boot-3.3'], 70000, 0, 4000),
  ('ml', 'jenkins', 'jenkins', 0.8, 0.25, ['exp/fp16-inference', 'feature/streaming-loader'], 45000, 1, 900)
),
slots AS (
  SELECT p.*, h, $2::TIMESTAMP - to_days($3::INTEGER) + to_hours(h) AS slot_at
  FROM projects p, (SELECT unnest(range($3::INTEGER * 24)) AS h)
),
counted AS (
  SELECT *, hour(slot_at) AS hod, isodow(slot_at) >= 6 AS weekend,
         floor(CASE WHEN weekend THEN CASE WHEN hod BETWEEN 9 AND 17 THEN 0.15 * day_rate ELSE 0.5 * night_rate END
                    WHEN hod BETWEEN 8 AND 17 THEN day_rate WHEN hod IN (7, 18) THEN 0.5 * day_rate ELSE night_rate END
               + demo_u(hash($1::BIGINT, project), 'slot', h))::INTEGER AS n
  FROM slots
),
drawn AS (
  SELECT * EXCLUDE (n), unnest(range(n)) AS i FROM counted WHERE n > 0
),
timed AS (
  SELECT *, hash($1::BIGINT, project, h, i) AS salt,
         slot_at + to_milliseconds((demo_u(salt, 'start', 0) * 3600000)::BIGINT) AS started_at,
         CASE WHEN weekend OR hod NOT BETWEEN 7 AND 19 OR demo_u(salt, 'branch', 0) < 0.45 THEN 'main'
              ELSE branches[1 + (hash(salt, 'branch') % len(branches))::INTEGER] END AS branch,
         CASE WHEN project = 'web' AND demo_u(salt, 'os', 0) < 0.2 THEN 'macos' ELSE 'linux' END AS os
  FROM drawn
)
SELECT $4::BIGINT - 1 + row_number() OVER (ORDER BY started_at, project, h, i) AS seq,
       prefix || '-' || project || '-' || (build0 + hash($1::BIGINT, project) % 1000 + row_number() OVER (PARTITION BY project ORDER BY started_at, h, i)) AS id,
       project, branch, started_at, salt, retries, os,
       -- one commit per hour on main and per two hours on a feature branch: runs in one window share it
       substr(sha256(concat($1::BIGINT, '/', project, '/', branch, '/', floor(epoch(started_at) / CASE WHEN branch = 'main' THEN 3600 ELSE 7200 END))), 1, 7) AS commit_sha,
       map(['ci', 'os'], [ci, os]) AS tags,
       CASE WHEN project = 'ml' AND demo_u(salt, 'hw', 0) >= 0.3 THEN 'cuda' ELSE 'cpu' END AS hardware,
       -- the payments sandbox goes down now and then in working hours
       project IN ('web', 'api') AND NOT weekend AND hod BETWEEN 8 AND 17 AND demo_u(salt, 'incident', 0) < 0.015 AS incident,
       NOT weekend AND hod BETWEEN 8 AND 17 AS busy,
       setup_ms * (0.7 + 0.6 * demo_u(salt, 'setup', 0)) AS setup_ms
FROM timed`;

/**
 * Why attempt `a` ends as it does; attempt 2 exists only when attempt 1 failed
 * in a project that retries. The broken test is decided later, from its own
 * start time, so no run that straddles `since` passes it after `since`.
 */
const cause = (a: 1 | 2): string => `CASE
  WHEN role = 'skipped' OR no_cuda THEN 'skip'
  WHEN lost_run AND worker${a} = '${LOST_WORKER}' THEN 'lost'
  WHEN incident AND grp = 'payments' THEN 'incident'
  WHEN worker${a} = '${FLAKY_WORKER}' AND demo_u(k, 'worker', ${a}) < ${WORKER_FAILURE} THEN 'worker'
  WHEN role = 'flaky' AND demo_u(k, 'flaky', ${a}) < ${a === 1 ? 'flake_rate' : `greatest(flake_rate, ${STICKY_RETRY})`} THEN 'flaky'
  WHEN demo_u(k, 'noise', ${a}) < noise THEN 'noise'
  ELSE 'ok' END`;

const failureKind = (a: 1 | 2): string => `CASE cause${a}
  WHEN 'incident' THEN 'payments-down'
  WHEN 'lost' THEN 'db-lost'
  WHEN 'worker' THEN CASE WHEN demo_u(k, 'gpu', ${a}) < 0.6 THEN 'gpu-illegal' ELSE 'gpu-oom' END
  WHEN 'flaky' THEN kind WHEN 'noise' THEN kind END`;

/** Log-normal around the test's base; a timeout lasts the timeout, other failures stop early. */
const duration = (a: 1 | 2): string => `round(CASE
  WHEN cause${a} = 'skip' THEN 0
  WHEN f${a}.timeoutMs IS NOT NULL THEN f${a}.timeoutMs + 150 * demo_u(k, 'timeout', ${a})
  WHEN f${a}.kind IS NOT NULL THEN greatest(1, base * exp(sigma * demo_z(k, 'dur', ${a})) * (0.3 + 0.7 * demo_u(k, 'early', ${a})))
  ELSE greatest(1, base * exp(sigma * demo_z(k, 'dur', ${a}))) END)`;

const attempt = (a: 1 | 2, why = `cause${a}`, f = `f${a}`): string =>
  `{'attempt': ${a}, 'cause': ${why}, 'worker': worker${a}, 'status': ${f}.status, 'message': ${f}.message,
    'n_lo': ${f}.nLo, 'n_hi': ${f}.nHi, 'x_lo': ${f}.xLo, 'x_hi': ${f}.xHi, 'duration_ms': dur${a}}`;

const RESULTS_SQL = `
INSERT INTO results (id, run_seq, test_id, attempt, status, duration_ms, started_at, project, suite, branch, commit_sha,
                     worker, hardware, message, stack_trace, tags, metrics)
WITH plan AS (
  SELECT r.seq, r.started_at AS run_at, r.setup_ms, r.project, r.branch, r.commit_sha, r.tags AS run_tags,
         r.busy, r.incident, r.retries, t.* EXCLUDE (project, salt, base_ms),
         t.suite IN ('inference', 'training') AND r.hardware = 'cuda' AS on_gpu,
         t.cuda_only AND r.hardware <> 'cuda' AS no_cuda,
         r.seq = (SELECT max_by(seq, started_at) FROM demo_runs
                  WHERE project = 'api' AND branch = 'main' AND started_at < $4) AS lost_run,
         t.base_ms * CASE WHEN t.lat_ms IS NOT NULL AND r.hardware = 'cpu' THEN 7 ELSE 1 END
                   * CASE WHEN r.os = 'macos' THEN 1.25 ELSE 1 END
                   * CASE WHEN r.busy THEN 1.12 ELSE 1 END
                   * CASE WHEN t.role = 'slowed' AND r.started_at >= $2 THEN ${SLOWDOWN} ELSE 1 END AS base,
         hash(hash(r.salt, t.salt)) AS k
  FROM demo_runs r JOIN demo_tests t ON t.project = r.project AND t.added_at <= r.started_at
),
placed AS (
  SELECT *, CASE WHEN on_gpu THEN 4 ELSE 8 END AS pool,
         (k % pool)::INTEGER AS w1,
         -- a retry runs on the same worker (as pytest-rerunfailures or Surefire reruns do), so a
         -- bad worker shows in execution-level slices too
         w1 AS w2,
         CASE WHEN on_gpu THEN 'gpu-' ELSE 'w' END || (w1 + 1) AS worker1,
         CASE WHEN on_gpu THEN 'gpu-' ELSE 'w' END || (w2 + 1) AS worker2
  FROM plan
),
caused AS (
  SELECT *, ${cause(1)} AS cause1, ${cause(2)} AS cause2 FROM placed
),
kinded AS (
  SELECT *, ${failureKind(1)} AS kind1, ${failureKind(2)} AS kind2 FROM caused
),
measured AS (
  SELECT p.*, ${duration(1)} AS dur1, ${duration(2)} AS dur2, ${attempt(1)} AS a1, ${attempt(2)} AS a2
  FROM kinded p LEFT JOIN demo_failures f1 ON f1.kind = p.kind1 LEFT JOIN demo_failures f2 ON f2.kind = p.kind2
),
-- each worker runs its share of the run one test after another
scheduled AS (
  SELECT *, run_at + to_milliseconds((setup_ms + coalesce(sum(dur1 + 40) OVER (
           PARTITION BY seq, worker1 ORDER BY ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))::BIGINT) AS start1
  FROM measured
),
-- the broken test fails as fast as it used to pass: only the response changed
attempts AS (
  SELECT s.* EXCLUDE (a1, a2), unnest(CASE
           WHEN retries > 0 AND cause1 NOT IN ('ok', 'skip') THEN [a1, a2]
           WHEN role = 'broken' AND start1 >= $1 THEN [${attempt(1, "'broken'", 'fb')}]
           ELSE [a1] END) AS a
  FROM scheduled s JOIN demo_failures fb ON fb.kind = 'refund-currency'
),
shaped AS (
  SELECT *, a.n_lo + floor(demo_u(k, 'n', a.attempt) * (a.n_hi - a.n_lo + 1))::BIGINT AS n,
         CASE WHEN a.message IS NOT NULL THEN format(a.message, n, a.x_lo + demo_u(k, 'x', a.attempt) * (a.x_hi - a.x_lo),
              coalesce(detail, ''), n - 1 - floor(3 * demo_u(k, 'n3', a.attempt))::BIGINT) END AS failure,
         CASE a.cause WHEN 'ok' THEN 'PASSED' WHEN 'skip' THEN 'SKIPPED' ELSE a.status END AS status,
         lat_ms * CASE WHEN on_gpu THEN 1 ELSE 8.5 END * exp(0.05 * demo_z(k, 'lat', a.attempt)) * CASE WHEN busy THEN 1.03 ELSE 1 END AS lat
  FROM attempts
)
SELECT $3::BIGINT - 1 + row_number() OVER (ORDER BY seq, a.attempt, ord), seq, id, a.attempt, status, a.duration_ms,
       CASE a.attempt WHEN 1 THEN start1 ELSE start1 + to_milliseconds((dur1 + 300 + 1500 * demo_u(k, 'gap', 2))::BIGINT) END,
       project, suite, branch, commit_sha, a.worker, CASE WHEN on_gpu THEN 'cuda' ELSE 'cpu' END,
       CASE status WHEN 'SKIPPED' THEN CASE WHEN no_cuda THEN 'CUDA is not available on this runner' ELSE skip_reason END ELSE failure END,
       CASE WHEN failure IS NOT NULL THEN format(stack, suite, class_name, frame, line, col, file, split_part(failure, chr(10), 1)) END,
       CASE WHEN browser IS NOT NULL THEN map_concat(run_tags, map(['browser'], [browser]))
            WHEN model IS NOT NULL THEN map_concat(run_tags, map(['model', 'batch_size'], [model, batch_size]))
            ELSE run_tags END,
       CASE WHEN lat_ms IS NOT NULL AND status = 'PASSED' THEN [
         {'name': 'throughput', 'value': round(batch_size::INTEGER * 1000 / lat, 1), 'unit': 'items/s'},
         {'name': 'latency_ms', 'value': round(lat, 2), 'unit': 'ms'},
         {'name': 'memory_mb', 'value': round(mem_mb * exp(0.02 * demo_z(k, 'mem', a.attempt))), 'unit': 'MB'}]
       ELSE [] END::STRUCT(name VARCHAR, value DOUBLE, unit VARCHAR)[]
FROM shaped`;

/**
 * Breaker episodes during runs: CLOSED→OPEN, then OPEN→HALF_OPEN after a
 * cooldown that doubles after each failed probe, HALF_OPEN→OPEN (re-trip) or
 * HALF_OPEN→CLOSED. The flaky worker trips and re-trips far more often.
 */
const BREAKERS_SQL = `
INSERT INTO breaker_events (run_seq, name, from_state, to_state, occurred_at, reason)
WITH breakers AS (
  SELECT * FROM (VALUES
    ('worker:gpu-1', 'gpu', 0.03, 0.15, 'CUDA error: an illegal memory access was encountered'),
    ('worker:gpu-2', 'gpu', 0.03, 0.15, 'CUDA error: an illegal memory access was encountered'),
    ('worker:${FLAKY_WORKER}', 'gpu', 0.35, 0.45, 'CUDA error: an illegal memory access was encountered'),
    ('worker:gpu-4', 'gpu', 0.03, 0.15, 'CUDA error: an illegal memory access was encountered'),
    ('service:payments', 'payments', 0.03, 0.25, 'HTTP 503 Service Unavailable'),
    ('service:search', 'web', 0.015, 0.2, 'HTTP 504 Gateway Timeout'),
    ('service:feature-store', 'ml', 0.04, 0.2, 'connection refused (feature-store:6379)')
  ) b(name, scope, p_trip, p_retrip, probe_error)
  UNION ALL SELECT 'worker:w' || i, 'all', 0.004, 0.15, 'heartbeat timed out after 10 s' FROM range(1, 9) t(i)
),
episodes AS (
  SELECT r.seq, b.name, b.probe_error, hash(r.salt, b.name) AS k,
         r.started_at + to_milliseconds(((epoch_ms(x.finished_at) - epoch_ms(r.started_at)) * demo_u(k, 'at', 0))::BIGINT) AS t0,
         CASE WHEN r.incident AND b.scope = 'payments' THEN 2
              ELSE (demo_u(k, 're', 1) < b.p_retrip)::INTEGER + (demo_u(k, 're', 1) < b.p_retrip AND demo_u(k, 're', 2) < b.p_retrip)::INTEGER
         END AS retrips
  FROM demo_runs r JOIN runs x ON x.seq = r.seq
  JOIN breakers b ON b.scope = 'all' OR b.scope = r.project
                  OR (b.scope = 'gpu' AND r.project = 'ml' AND r.hardware = 'cuda')
                  OR (b.scope = 'payments' AND r.project IN ('web', 'api'))
  WHERE (r.incident AND b.scope = 'payments') OR demo_u(r.salt, b.name, 'trip') < b.p_trip
),
steps AS (
  SELECT *, unnest(range(2 * retrips + 3)) AS step FROM episodes
),
gapped AS (
  SELECT *, CASE WHEN step = 0 THEN 0
                 WHEN step % 2 = 1 THEN 30000 * pow(2, (step - 1) // 2) * (0.8 + 0.4 * demo_u(k, 'cool', step))
                 ELSE 1000 + 14000 * demo_u(k, 'probe', step) END AS gap_ms
  FROM steps
)
SELECT seq, name,
       CASE WHEN step = 0 THEN 'CLOSED' WHEN step % 2 = 1 THEN 'OPEN' ELSE 'HALF_OPEN' END,
       CASE WHEN step = 0 THEN 'OPEN' WHEN step % 2 = 1 THEN 'HALF_OPEN' WHEN step = 2 * retrips + 2 THEN 'CLOSED' ELSE 'OPEN' END,
       t0 + to_milliseconds(sum(gap_ms) OVER (PARTITION BY seq, name ORDER BY step)::BIGINT),
       CASE WHEN step = 0 THEN format('{} of the last 20 calls failed', 10 + (hash(k, 'calls') % 9)::INTEGER)
            WHEN step % 2 = 1 THEN format('cooldown of {:.0f} s elapsed', gap_ms / 1000)
            WHEN step = 2 * retrips + 2 THEN 'probe succeeded'
            ELSE 'probe failed: ' || probe_error END
FROM gapped
ORDER BY seq, name, step`;

const CLEANUP = [
  'DROP TABLE demo_runs',
  'DROP TABLE demo_tests',
  'DROP TABLE demo_failures',
  'DROP MACRO demo_z',
  'DROP MACRO demo_u',
];

const DAY_MS = 86_400_000;

async function scalar(tx: WriteTx, sql: string): Promise<number> {
  const rows = await tx.query<{ v: unknown }>(sql);
  return toNumber(rows[0]?.v ?? 0);
}

/**
 * Fills an empty database with a realistic, reproducible history of three
 * projects (web, api, ml) in one transaction, generated in SQL, and returns
 * the facts it planted: flaky tests, a test that breaks, a test that slows
 * down and a flaky worker.
 * @throws Error when the database already holds runs.
 * @throws RangeError for days below 3, a non-integer seed or an invalid end.
 */
export async function generateDemo(db: Database, options: DemoOptions): Promise<DemoFacts> {
  const { days = 30, seed = 42, end, onProgress = () => {} } = options;
  if (!Number.isInteger(days) || days < 3)
    throw new RangeError(`days must be a whole number of at least 3, got ${days}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (Number.isNaN(end.getTime())) throw new RangeError('end must be a valid date');
  const from = new Date(end.getTime() - days * DAY_MS);
  // About 10 and 7 days before the end of a 30-day history, scaled for other lengths.
  const brokenSince = new Date(end.getTime() - Math.max(1, Math.round(days / 3)) * DAY_MS);
  const slowedSince = new Date(end.getTime() - Math.max(1, Math.floor((days * 7) / 30)) * DAY_MS);
  const lostAt = new Date(end.getTime() - Math.max(1, Math.round(days / 15)) * DAY_MS);
  const tests = catalog();
  const shape = JSON.stringify([CATALOG_TYPES]);

  return db.write(async (tx) => {
    const existing = await scalar(tx, 'SELECT count(*) AS v FROM runs');
    if (existing > 0)
      throw new Error(
        `the demo needs an empty database, but this one already holds ${existing} runs; use a new database file`,
      );
    const firstSeq = await scalar(tx, "SELECT value AS v FROM meta WHERE key = 'next_run_seq'");
    const firstResultId = await scalar(tx, "SELECT value AS v FROM meta WHERE key = 'next_result_id'");

    for (const sql of MACROS) await tx.query(sql);
    await tx.query(FAILURES_SQL, [JSON.stringify(FAILURES)]);
    await tx.query(testsSql(shape), [JSON.stringify(tests), seed, ts(end), days]);
    onProgress(`generating ${days} days of runs…`);
    await tx.query(RUNS_SQL, [seed, ts(end), days, firstSeq]);
    onProgress('generating results…');
    await tx.query(RESULTS_SQL, [ts(brokenSince), ts(slowedSince), firstResultId, ts(lostAt)]);
    await tx.query(stagedRunsSql('demo'));
    await tx.query(stagedTestsSql('demo'));
    const lastSeq = await scalar(tx, 'SELECT max(seq) AS v FROM runs');
    onProgress('folding executions…');
    await refoldRuns(tx, firstSeq, lastSeq, { fresh: true });
    await finishBulkLoad(tx);
    onProgress('recording circuit-breaker events…');
    await tx.query(BREAKERS_SQL);
    const [lost] = await tx.query<{ id: string }>(
      `SELECT r.id FROM infra_failures f JOIN runs r ON r.seq = f.run_seq WHERE f.worker = '${LOST_WORKER}'`,
    );
    const [counts] = await tx.query<{ runs: bigint; tests: bigint; results: bigint }>(
      'SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM tests) AS tests, (SELECT count(*) FROM results) AS results',
    );
    for (const sql of CLEANUP) await tx.query(sql);

    const idOf = (project: string, name: string): string => {
      const t = tests.find((c) => c.project === project && c.name === name);
      if (!t) throw new Error(`demo catalog has no test ${project}/${name}`);
      return testId({ project, suite: t.suite, className: t.class_name, name });
    };
    return {
      runs: toNumber(counts?.runs ?? 0),
      tests: toNumber(counts?.tests ?? 0),
      results: toNumber(counts?.results ?? 0),
      from,
      to: end,
      flakyTests: FLAKY.map((f) => ({ id: idOf(f.project, f.name), name: f.name, flakeRate: f.rate })),
      brokenTest: { id: idOf(BROKEN.project, BROKEN.name), name: BROKEN.name, since: brokenSince },
      slowedTest: { id: idOf(SLOWED.project, SLOWED.name), name: SLOWED.name, since: slowedSince },
      flakyWorker: FLAKY_WORKER,
      lostWorker: { runId: lost?.id ?? null, worker: LOST_WORKER, at: lostAt },
    };
  });
}
