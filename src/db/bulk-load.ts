import type { WriteTx } from './write-tx.ts';
import { stageTableFile } from './bulk-stage.ts';
import { addToDaily, removeFromDaily } from './daily.ts';
import { rebuildTestsWhere } from './flakiness-rollup.ts';
import { refoldRuns, refoldRunSet } from './rollups.ts';
import { addStagedToTestTotals } from './test-totals.ts';
import { finishBulkLoad } from './staging.ts';
import { indexMetricValues } from './metric-values.ts';
import { indexFailureAttempts } from './failure-attempts.ts';
import { judgeRuns } from './infra-judge.ts';
import { DEFAULT_INFRA_THRESHOLDS, type InfraThresholds } from '../domain/infra-failures.ts';
import { toNumber, ts } from './values.ts';
import { badInput } from '../domain/errors.ts';
import type { TableFormat, TableLoadSummary } from '../domain/table-file.ts';

/**
 * A CSV or Parquet file in the table layout, loaded set-based in two steps
 * (Database.stagedWrite): before the write transaction, DuckDB reads and
 * checks the whole file into temp tables (bulk-stage.ts, stageTableLoad), so
 * that the transaction's statements scan them on every thread; in the
 * transaction (applyTableLoad), `INSERT … SELECT` writes the new runs, tests and
 * results, and the rollups are built as the reference set builds them
 * (finishBulkLoad) when the database held no executions, else recomputed
 * for the tests the file touched. Idempotent per run + test + attempt, as
 * ingest is; a bad row or a run that disagrees with itself or with the
 * stored run refuses the file before anything is written.
 */
type Tx = Pick<WriteTx, 'query'>;

export interface BulkLoadOutcome extends TableLoadSummary {
  /** Runs the load created, for the writer's memory. */
  readonly newRuns: readonly {
    id: string;
    seq: number;
    project: string;
    branch: string | null;
    commit: string | null;
  }[];
  readonly newTests: readonly string[];
}

const TEMP = [
  'bulk_raw',
  'bulk_rows',
  'bulk_problems',
  'bulk_runs',
  'bulk_execs',
  'bulk_several',
  'bulk_skip',
  'bulk_new_tests',
  'bulk_touched_runs',
  'bulk_touched_tests',
] as const;

/** One row per run of the file, with its stored seq (when known) or the seq it gets, oldest run first. */
async function stageRuns(tx: Tx, nextRunSeq: number): Promise<void> {
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE bulk_runs AS
     SELECT b.*, s.seq AS stored_seq, s.project AS stored_project, s.branch AS stored_branch, s.commit_sha AS stored_commit,
            coalesce(s.seq, $1 + row_number() OVER (PARTITION BY s.seq IS NULL ORDER BY b.started_at, b.id) - 1) AS seq
     FROM (
       SELECT run_id AS id, arg_min(project, row) AS project, arg_min_null(branch, row) AS branch,
              arg_min_null("commit", row) AS commit_sha, coalesce(min(run_started_at), min(started_at)) AS started_at,
              max(run_finished_at) AS finished_at, min(row) AS first_row, max(row) AS last_row, count(*) AS n
       FROM bulk_rows GROUP BY run_id
     ) b LEFT JOIN runs s ON s.id = b.id`,
    [BigInt(nextRunSeq)],
  );
}

/** Refuses a run whose rows disagree on project, branch or commit, that disagrees with the stored run, or ends before it starts. */
async function checkRuns(tx: Tx, file: string): Promise<void> {
  const [bad] = await tx.query<{ row: bigint; id: string; field: string; message: string }>(
    `SELECT row, id, field, message FROM (
       SELECT x.row, r.id, CASE WHEN x.project <> r.project THEN 'project' WHEN x.branch IS DISTINCT FROM r.branch THEN 'branch' ELSE 'commit' END AS field,
              'differs from row ' || r.first_row || ' of the same run; one run has one project, branch and commit' AS message
       FROM bulk_rows x JOIN bulk_runs r ON r.id = x.run_id
       WHERE x.project <> r.project OR x.branch IS DISTINCT FROM r.branch OR x."commit" IS DISTINCT FROM r.commit_sha
       UNION ALL
       SELECT first_row, id, CASE WHEN project <> stored_project THEN 'project' WHEN branch IS DISTINCT FROM stored_branch THEN 'branch' ELSE 'commit' END,
              'differs from the stored run (' || coalesce(CASE WHEN project <> stored_project THEN stored_project WHEN branch IS DISTINCT FROM stored_branch THEN stored_branch ELSE stored_commit END, 'unset')
              || '); use the stored value or a new run id'
       FROM bulk_runs WHERE stored_seq IS NOT NULL
         AND (project <> stored_project OR branch IS DISTINCT FROM stored_branch OR commit_sha IS DISTINCT FROM stored_commit)
       UNION ALL
       SELECT first_row, id, 'run_started_at', 'is missing, and so is started_at on every row of the run: give one of them'
       FROM bulk_runs WHERE started_at IS NULL
       UNION ALL
       SELECT first_row, id, 'run_finished_at', 'is before the run''s start; give the time the run ended'
       FROM bulk_runs WHERE finished_at < started_at
     ) ORDER BY row LIMIT 1`,
  );
  if (bad)
    throw badInput(
      `${file}: nothing was loaded. Row ${bad.row} (the header not counted), run "${bad.id}", column ${bad.field}: ${bad.message}`,
      { field: bad.field, row: toNumber(bad.row) },
    );
}

/**
 * The file's executions (attempts folded per run and test), and the rows not to store
 * (`bulk_skip`): all but the first of each run + test + attempt in the file, and those
 * already stored. Only the executions with more than one row can repeat an attempt.
 */
async function stageSkipped(tx: Tx): Promise<void> {
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE bulk_execs AS
     SELECT run_id, test_id, count(*) AS n, arg_max(status, attempt) AS status,
            coalesce(min(attempt) FILTER (WHERE status IN ('FAILED', 'ERROR')) < max(attempt) FILTER (WHERE status = 'PASSED'), false) AS flaky
     FROM bulk_rows GROUP BY run_id, test_id`,
  );
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE bulk_skip AS
     SELECT row FROM (
       SELECT x.row, x.run_id, x.test_id, x.attempt FROM bulk_rows x
       SEMI JOIN (SELECT run_id, test_id FROM bulk_execs WHERE n > 1) e ON e.run_id = x.run_id AND e.test_id = x.test_id
       QUALIFY row_number() OVER (PARTITION BY x.run_id, x.test_id, x.attempt ORDER BY x.row) > 1
     )
     UNION
     SELECT x.row FROM bulk_rows x JOIN bulk_runs r ON r.id = x.run_id AND r.stored_seq IS NOT NULL
     SEMI JOIN (SELECT run_seq, test_id, attempt FROM results
                WHERE run_seq IN (SELECT stored_seq FROM bulk_runs WHERE stored_seq IS NOT NULL)) s
       ON s.run_seq = r.stored_seq AND s.test_id = x.test_id AND s.attempt = x.attempt`,
  );
}

/** Executions of the file's rows, as `assay ingest` reports them. */
async function fileCounts(tx: Tx) {
  const [c] = await tx.query<Record<string, bigint>>(
    `SELECT count(*) AS tests, count(*) FILTER (WHERE status = 'PASSED') AS passed,
            count(*) FILTER (WHERE status IN ('FAILED', 'ERROR')) AS failed,
            count(*) FILTER (WHERE status = 'PASSED' AND flaky) AS flaky, count(*) FILTER (WHERE status = 'SKIPPED') AS skipped,
            sum(n) AS attempts, (SELECT count(*) FROM bulk_skip) AS skip,
            (SELECT count(*) FROM bulk_runs) AS runs, (SELECT count(*) FROM bulk_runs WHERE stored_seq IS NULL) AS new_runs
     FROM bulk_execs`,
  );
  const n = (k: string) => toNumber(c?.[k] ?? 0n);
  return {
    runs: n('runs'),
    newRunCount: n('new_runs'),
    tests: n('tests'),
    attempts: n('attempts'),
    accepted: n('attempts') - n('skip'),
    duplicates: n('skip'),
    passed: n('passed'),
    failed: n('failed'),
    flaky: n('flaky'),
    skipped: n('skipped'),
  };
}

/** Whether each run's rows are one block of the file, the blocks in run order: then the file's order is the results' order. */
async function inRunOrder(tx: Tx): Promise<boolean> {
  const [r] = await tx.query<{ ok: boolean | null }>(
    `SELECT bool_and(last_row - first_row + 1 = n AND coalesce(previous < first_row, true)) AS ok
     FROM (SELECT *, lag(last_row) OVER (ORDER BY seq) AS previous FROM bulk_runs)`,
  );
  return r?.ok ?? true;
}

/** Inserts the new runs, tests and results, and notes the runs given results; returns the new tests' ids. */
async function insertRows(tx: Tx, firstResultId: number, now: Date, skipping: boolean): Promise<string[]> {
  await tx.query(
    `INSERT INTO runs (seq, id, project, branch, commit_sha, started_at, finished_at, tags, ingested_at)
     SELECT seq, id, project, branch, commit_sha, started_at, finished_at, MAP([]::VARCHAR[], []::VARCHAR[]), $1
     FROM bulk_runs WHERE stored_seq IS NULL ORDER BY seq`,
    [ts(now)],
  );
  const accepted = `bulk_rows x JOIN bulk_runs r ON r.id = x.run_id ${skipping ? 'ANTI JOIN bulk_skip k ON k.row = x.row' : ''}`;
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE bulk_touched_runs AS
     SELECT DISTINCT r.seq AS run_seq, r.stored_seq IS NOT NULL AS stored_run FROM ${accepted}`,
  );
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE bulk_new_tests AS
     SELECT x.test_id AS id, any_value(x.project) AS project, any_value(x.suite) AS suite, any_value(x.class_name) AS class_name,
            any_value(x.name) AS name, min(coalesce(x.started_at, r.started_at)) AS first_seen_at
     FROM ${accepted} WHERE x.test_id NOT IN (SELECT id FROM tests) GROUP BY x.test_id`,
  );
  await tx.query('INSERT INTO tests SELECT * FROM bulk_new_tests ORDER BY first_seen_at, id');
  // In run order with nothing skipped, a row's id follows from its row number: no sort of the whole file.
  const ordered = !skipping && (await inRunOrder(tx));
  await tx.query(
    `INSERT INTO results (id, run_seq, test_id, attempt, status, duration_ms, started_at, project, suite, branch, commit_sha,
                          worker, hardware, message, stack_trace, tags, metrics)
     SELECT ${ordered ? '$1 + x.row - 1' : '$1 + row_number() OVER (ORDER BY r.seq, x.row) - 1'}, r.seq, x.test_id, x.attempt,
            x.status, x.duration_ms, coalesce(x.started_at, r.started_at), x.project, x.suite, x.branch, x."commit",
            x.worker, x.hardware, x.message, x.stack_trace, x.tags, x.metrics
     FROM ${accepted} ${ordered ? '' : 'ORDER BY r.seq, x.row'}`,
    [BigInt(firstResultId)],
  );
  await indexMetricValues(tx, firstResultId);
  return (await tx.query<{ id: string }>('SELECT id FROM bulk_new_tests')).map((r) => r.id);
}

/**
 * Folds the new runs' executions. A new run's results all come from the file, so only the
 * executions with several rows in it (bulk_execs) can have several attempts; the rest are
 * copied without grouping (refoldRunSet).
 */
async function foldNewRuns(tx: Tx, fromSeq: number, toSeq: number): Promise<void> {
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE bulk_several AS
     SELECT r.seq AS run_seq, e.test_id FROM bulk_execs e JOIN bulk_runs r ON r.id = e.run_id
     WHERE e.n > 1 AND r.stored_seq IS NULL`,
  );
  await refoldRuns(tx, fromSeq, toSeq, { fresh: true, several: 'bulk_several' });
}

/**
 * Executions, daily counts, failure attempts, sequences and flakiness rollup of what was inserted, and the meta
 * counters: set-based over everything on an empty database, else over the touched runs and tests.
 */
async function rollUp(
  tx: Tx,
  m: { firstNewSeq: number; newRuns: number; nextResultId: number; accepted: number },
  infra: InfraThresholds,
): Promise<void> {
  const [had] = await tx.query<{ n: bigint }>(
    'SELECT count(*) AS n FROM (SELECT 1 FROM executions WHERE run_seq < $1 LIMIT 1)',
    [BigInt(m.firstNewSeq)],
  );
  const oldTouched = 'run_seq IN (SELECT run_seq FROM bulk_touched_runs WHERE stored_run)';
  if (toNumber(had?.n ?? 0n) > 0) {
    await removeFromDaily(tx, oldTouched, []);
    await addStagedToTestTotals(tx, -1);
    await refoldRunSet(tx, oldTouched, []);
  }
  if (m.newRuns) await foldNewRuns(tx, m.firstNewSeq, m.firstNewSeq + m.newRuns - 1);
  if (toNumber(had?.n ?? 0n) === 0) {
    await finishBulkLoad(tx, infra, { metricsIndexed: true });
    return;
  }
  const touchedRuns = 'run_seq IN (SELECT run_seq FROM bulk_touched_runs)';
  await indexFailureAttempts(tx, m.nextResultId);
  await addToDaily(tx, touchedRuns);
  await addStagedToTestTotals(tx);
  // Before the sequences below, which leave the executions of infrastructure failures out.
  await judgeRuns(tx, touchedRuns, [], infra);
  // Every test of a refolded run: its executions were rewritten, sequence columns included.
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE bulk_touched_tests AS
     SELECT DISTINCT test_id FROM executions WHERE ${touchedRuns}`,
  );
  await rebuildTestsWhere(tx, { sql: 'test_id IN (SELECT test_id FROM bulk_touched_tests)', params: [] });
  await tx.query(
    `UPDATE meta SET value = CASE key
       WHEN 'data_version' THEN value + 1 WHEN 'next_result_id' THEN $1 WHEN 'next_run_seq' THEN $2 ELSE value END`,
    [BigInt(m.nextResultId + m.accepted), BigInt(m.firstNewSeq + m.newRuns)],
  );
}

/** What staging a file found: the meta counters it read, its counts, and the runs it creates. */
export interface StagedLoad {
  readonly meta: Readonly<Record<string, number>>;
  readonly counts: Omit<TableLoadSummary, 'dataVersion'> & { readonly newRunCount: number };
  readonly newRuns: BulkLoadOutcome['newRuns'];
}

/**
 * The first step of a load, before the write transaction (Database.stagedWrite): reads and checks
 * `file` into temp tables, numbers its runs after the stored ones and finds the rows already
 * stored. Refuses a bad file (badInput) having written no table but its temp ones.
 */
export async function stageTableLoad(tx: Tx, file: string, format: TableFormat): Promise<StagedLoad> {
  const meta = Object.fromEntries(
    (await tx.query<{ key: string; value: bigint }>('SELECT key, value FROM meta')).map((r) => [
      r.key,
      toNumber(r.value),
    ]),
  );
  await stageTableFile(tx, file, format);
  await stageRuns(tx, meta['next_run_seq']!);
  await checkRuns(tx, file);
  await stageSkipped(tx);
  const counts = await fileCounts(tx);
  const newRuns = (
    await tx.query<{
      id: string;
      seq: bigint;
      project: string;
      branch: string | null;
      commit_sha: string | null;
    }>('SELECT id, seq, project, branch, commit_sha FROM bulk_runs WHERE stored_seq IS NULL ORDER BY seq')
  ).map((r) => ({
    id: r.id,
    seq: toNumber(r.seq),
    project: r.project,
    branch: r.branch,
    commit: r.commit_sha,
  }));
  return { meta, counts, newRuns };
}

/** The second step, inside the write transaction: stores what stageTableLoad staged (see the module comment). */
export async function applyTableLoad(
  tx: Tx,
  { meta, counts: { newRunCount, ...counts }, newRuns }: StagedLoad,
  now: Date,
  infra: InfraThresholds = DEFAULT_INFRA_THRESHOLDS,
): Promise<BulkLoadOutcome> {
  // A stored run's finish moves only later, as a re-sent batch moves it.
  const moved = await tx.query(
    `UPDATE runs SET finished_at = b.finished_at FROM bulk_runs b
     WHERE runs.seq = b.stored_seq AND b.finished_at > coalesce(runs.finished_at, b.finished_at - INTERVAL 1 SECOND)
     RETURNING seq`,
  );
  let newTests: string[] = [];
  let dataVersion = meta['data_version']!;
  if (counts.accepted) {
    newTests = await insertRows(tx, meta['next_result_id']!, now, counts.duplicates > 0);
    await rollUp(
      tx,
      {
        firstNewSeq: meta['next_run_seq']!,
        newRuns: newRunCount,
        nextResultId: meta['next_result_id']!,
        accepted: counts.accepted,
      },
      infra,
    );
    dataVersion++;
  } else if (moved.length) {
    await tx.query("UPDATE meta SET value = value + 1 WHERE key = 'data_version'");
    dataVersion++;
  }
  return { ...counts, newRuns, newTests, dataVersion };
}

/** Drops the load's temp tables, after it stored or refused the file. */
export async function dropStagedLoad(tx: Tx): Promise<void> {
  for (const t of TEMP) await tx.query(`DROP TABLE IF EXISTS ${t}`);
}
