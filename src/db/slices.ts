import { listValue, timestampValue } from '@duckdb/node-api';
import type { Database } from './database.ts';
import type { Row } from './write-tx.ts';
import type { Keyset } from './keyset.ts';
import { keysetPage } from './keyset-page.ts';
import { Params, resultFilterSql, runFilterSql, where } from './sql.ts';
import { metricsFromRow, tagsFromRow, toNullableNumber, toNumber } from './values.ts';
import { asResultId, asRunId, asTestId, type ResultId } from '../domain/ids.ts';
import type {
  Direction,
  Page,
  PageBounds,
  TotalFor,
  Result,
  ResultFilter,
  Run,
  RunFilter,
  Status,
  Test,
} from '../domain/types.ts';

// ------------------------------------------------------------------ mapping

export const RESULT_COLUMNS = `r.id, ru.id AS run_id, r.test_id, r.status, r.attempt, r.duration_ms, r.started_at,
  r.worker, r.hardware, r.message, r.stack_trace, r.tags, r.metrics`;

export function toResult(row: Row): Result {
  return {
    id: asResultId(String(row['id'])),
    runId: asRunId(row['run_id'] as string),
    testId: asTestId(row['test_id'] as string),
    status: row['status'] as Status,
    attempt: toNumber(row['attempt']),
    durationMs: toNumber(row['duration_ms']),
    startedAt: row['started_at'] as Date,
    worker: (row['worker'] as string | null) ?? null,
    hardware: (row['hardware'] as string | null) ?? null,
    message: (row['message'] as string | null) ?? null,
    stackTrace: (row['stack_trace'] as string | null) ?? null,
    tags: tagsFromRow(row['tags']),
    metrics: metricsFromRow(row['metrics']),
  };
}

/** A run's columns as `toRun` reads them. */
export const RUN_COLUMNS = `seq, id, project, branch, commit_sha, started_at, finished_at, tags,
  executions, passed, failed, errored, flaky, skipped, duration_ms`;

export function toRun(row: Row): Run {
  return {
    id: asRunId(row['id'] as string),
    project: row['project'] as string,
    branch: (row['branch'] as string | null) ?? null,
    commit: (row['commit_sha'] as string | null) ?? null,
    startedAt: row['started_at'] as Date,
    finishedAt: (row['finished_at'] as Date | null) ?? null,
    tags: tagsFromRow(row['tags']),
    executions: toNumber(row['executions']),
    passed: toNumber(row['passed']),
    failed: toNumber(row['failed']),
    errored: toNumber(row['errored']),
    flaky: toNumber(row['flaky']),
    skipped: toNumber(row['skipped']),
    durationMs: toNullableNumber(row['duration_ms']),
  };
}

export function toTest(row: Row): Test {
  return {
    id: asTestId(row['id'] as string),
    project: row['project'] as string,
    suite: row['suite'] as string,
    className: (row['class_name'] as string | null) ?? null,
    name: row['name'] as string,
    firstSeenAt: row['first_seen_at'] as Date,
  };
}

// ------------------------------------------------------------------ pages

export const withCond = (conds: readonly string[], extra: string | null) =>
  where(extra ? [...conds, extra] : conds);

import type { ResultOrderField } from '../domain/slices.ts';
export type { ResultOrderField };

/**
 * A page of results. The newest-first page is a top-N on the `results` columns themselves
 * (the sort is the stored column, not an expression over it, so DuckDB's top-N filter
 * skips row groups), and only the page's rows are joined to their runs.
 */
export async function resultsPage<B extends PageBounds>(
  db: Database,
  filter: ResultFilter | null | undefined,
  size: number,
  bounds: B,
  order: { field: ResultOrderField; direction: Direction },
): Promise<Page<Result, TotalFor<B>>> {
  const byDuration = order.field === 'DURATION';
  const keyset: Keyset = {
    sort: byDuration ? 'r.duration_ms' : 'r.started_at',
    id: 'r.id',
    idKind: 'integer',
    direction: order.direction,
    // Cursors hold the start as epoch microseconds; the condition compares the stored TIMESTAMP.
    toValue: (v) => (byDuration ? Number(v) : timestampValue(bigintInRange(BigInt(v)))),
  };
  const sortKey = byDuration ? 'r.duration_ms' : 'epoch_us(r.started_at)';
  return keysetPage(db, size, bounds, {
    keyset,
    build: (p) => {
      const conds = resultFilterSql(filter, p, 'r');
      return {
        count: `SELECT count(*) AS n FROM results r ${where(conds)}`,
        select: (cond) => `SELECT r.*, ${sortKey} AS sort_key FROM results r ${withCond(conds, cond)}`,
        around: (rows) =>
          `SELECT ${RESULT_COLUMNS}, r.sort_key FROM (${rows}) r JOIN runs ru ON ru.seq = r.run_seq`,
      };
    },
    map: toResult,
    idColumn: 'id',
  });
}

/** A whole number that fits BIGINT; throws otherwise (the keyset then calls the cursor forged). */
function bigintInRange(v: bigint): bigint {
  if (BigInt.asIntN(64, v) !== v) throw new RangeError('beyond BIGINT');
  return v;
}

export async function runsPage<B extends PageBounds>(
  db: Database,
  filter: RunFilter | null | undefined,
  size: number,
  bounds: B,
): Promise<Page<Run, TotalFor<B>>> {
  const keyset: Keyset = {
    sort: 'epoch_us(started_at)',
    id: 'seq',
    idKind: 'integer',
    direction: 'DESC',
    toValue: (v) => BigInt(v),
  };
  return keysetPage(db, size, bounds, {
    keyset,
    build: (p) => {
      const conds = runFilterSql(filter, p);
      return {
        count: `SELECT count(*) AS n FROM runs ${where(conds)}`,
        select: (cond) =>
          `SELECT ${RUN_COLUMNS}, epoch_us(started_at) AS sort_key FROM runs ${withCond(conds, cond)}`,
      };
    },
    map: toRun,
    idColumn: 'seq',
  });
}

// ------------------------------------------------------------------ batched look-ups (DataLoader backends)

const placeholders = (p: Params, ids: readonly string[]) => p.list(ids);

export async function testsByIds(db: Database, ids: readonly string[]): Promise<Map<string, Test>> {
  const p = new Params();
  const rows = await db.query(`SELECT * FROM tests WHERE id IN (${placeholders(p, ids)})`, p.values);
  return new Map(rows.map((r) => [r['id'] as string, toTest(r)]));
}

export async function runsByIds(db: Database, ids: readonly string[]): Promise<Map<string, Run>> {
  const p = new Params();
  const rows = await db.query(
    `SELECT ${RUN_COLUMNS} FROM runs WHERE id IN (${placeholders(p, ids)})`,
    p.values,
  );
  return new Map(rows.map((r) => [r['id'] as string, toRun(r)]));
}

/** Results by id; ids that are not whole numbers match none. */
export async function resultsByIds(db: Database, ids: readonly ResultId[]): Promise<Map<string, Result>> {
  const wanted = ids.filter((id) => /^\d{1,18}$/.test(id)).map((id) => BigInt(id));
  if (!wanted.length) return new Map();
  const p = new Params();
  const rows = await db.query(
    `SELECT ${RESULT_COLUMNS} FROM results r JOIN runs ru ON ru.seq = r.run_seq
     WHERE r.id IN (SELECT unnest(${p.bind(listValue(wanted))}::BIGINT[]))`,
    p.values,
  );
  return new Map(rows.map((r) => [String(r['id']), toResult(r)]));
}

export async function counts(db: Database): Promise<{ runs: number; tests: number; results: number }> {
  const rows = await db.query<{ runs: bigint; tests: bigint; results: bigint }>(
    'SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM tests) AS tests, (SELECT count(*) FROM results) AS results',
  );
  const r = rows[0]!;
  return { runs: toNumber(r.runs), tests: toNumber(r.tests), results: toNumber(r.results) };
}
