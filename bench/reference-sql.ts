/** The reference set's SQL: deterministic random macros, then tests, runs, results and the planted roles. */
import { FLAKE_RATES, SLOWED_SUITE } from './reference-shape.ts';

/** Deterministic uniforms and normals from hash() (see src/db/demo.ts for why not random()). */
export const MACROS = [
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
export const TESTS_SQL = `
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
export const RUNS_SQL = `
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
export const RESULTS_SQL = `
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

export const PLANTED_SQL = `
CREATE TABLE bench_reference_planted AS
SELECT id AS test_id, project, suite, name, role, flake_rate, fail_rate, broken_from, broken_to
FROM ref_tests WHERE role <> 'normal' ORDER BY role, id`;
