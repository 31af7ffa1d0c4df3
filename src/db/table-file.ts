import type { Database } from './database.ts';
import { Params, resultFilterSql, where } from './sql.ts';
import { toNumber } from './values.ts';
import { badInput } from '../domain/errors.ts';
import type { TableFormat } from '../domain/ports.ts';
import type { IngestInput, IngestResultInput, ResultFilter } from '../domain/types.ts';
import { REQUIRED_COLUMNS, TABLE_COLUMNS } from './table-layout.ts';

const EXPORT_SELECT = `
  SELECT ru.id AS run_id, ru.project, ru.branch, ru.commit_sha AS commit, ru.started_at AS run_started_at, ru.finished_at AS run_finished_at,
         t.suite, t.class_name, t.name, r.status, r.attempt, r.duration_ms, r.started_at,
         r.worker, r.hardware, r.message, r.stack_trace, to_json(r.tags)::VARCHAR AS tags, to_json(r.metrics)::VARCHAR AS metrics
  FROM results r JOIN runs ru ON ru.seq = r.run_seq JOIN tests t ON t.id = r.test_id`;

/** Writes the slice's results to `file` in the table layout, oldest run first; returns the rows written. */
export async function exportResults(
  db: Database,
  filter: ResultFilter,
  format: TableFormat,
  file: string,
): Promise<number> {
  const p = new Params();
  const cond = where(resultFilterSql(filter, p, 'r'));
  const options = format === 'parquet' ? '(FORMAT parquet, COMPRESSION zstd)' : '(FORMAT csv, HEADER true)';
  // COPY answers the rows it wrote: one statement, one snapshot.
  const [written] = await db.query<{ Count: bigint }>(
    `COPY (${EXPORT_SELECT} ${cond} ORDER BY ru.started_at, ru.id, t.suite, t.name, r.attempt) TO ${p.bind(file)} ${options}`,
    p.values,
  );
  return toNumber(written?.Count ?? 0);
}

const reader = (format: TableFormat, at: string): string =>
  format === 'parquet' ? `read_parquet(${at})` : `read_csv(${at}, header = true, all_varchar = true)`;

const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const iso = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : text(v));

function json<T>(v: unknown, column: string, row: number): T | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v !== 'string') return v as T;
  try {
    return JSON.parse(v) as T;
  } catch {
    throw badInput(`row ${row}: ${column} is not valid JSON (${v.slice(0, 60)})`, { field: column });
  }
}

/**
 * Reads a CSV or Parquet file in the table layout (TABLE_COLUMNS) with
 * DuckDB's readers and yields one ingest input per run, rows of a run
 * together (the file is sorted by run id by DuckDB, so it need not be).
 * The run starts at run_started_at, else at its earliest result.
 */
export async function* readTableFile(
  db: Database,
  file: string,
  format: TableFormat,
): AsyncIterable<IngestInput> {
  let columns: string[];
  try {
    columns = (
      await db.query<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader(format, '$1')}`, [file])
    ).map((c) => c.column_name);
  } catch (err) {
    throw badInput(`cannot read ${file} as ${format}: ${(err as Error).message.split('\n')[0]}`);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) {
    throw badInput(
      `${file} lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the layout is ${TABLE_COLUMNS.join(', ')} (run_id, project, suite, name, status and duration_ms required)`,
    );
  }
  const pick = TABLE_COLUMNS.map((c) => (columns.includes(c) ? `"${c}"` : `NULL AS "${c}"`)).join(', ');
  let current: { run: Record<string, unknown>; results: IngestResultInput[]; first: string | null } | null =
    null;
  const flush = (): IngestInput => {
    const { run, results, first } = current!;
    return {
      run: {
        id: String(run['run_id']),
        project: String(run['project'] ?? ''),
        branch: text(run['branch']),
        commit: text(run['commit']),
        startedAt: iso(run['run_started_at']) ?? first ?? '',
        finishedAt: iso(run['run_finished_at']),
      },
      results,
    };
  };
  let row = 0;
  for await (const rows of db.stream<Record<string, unknown>>(
    `SELECT ${pick} FROM ${reader(format, '$1')} ORDER BY run_id, started_at NULLS LAST`,
    [file],
  )) {
    for (const r of rows) {
      row++;
      if (r['run_id'] === null || r['run_id'] === undefined || r['run_id'] === '')
        throw badInput(`row ${row}: run_id is empty; every row needs the run it belongs to`, {
          field: 'run_id',
        });
      if (current && String(current.run['run_id']) !== String(r['run_id'])) {
        yield flush();
        current = null;
      }
      current ??= { run: r, results: [], first: iso(r['started_at']) };
      const attempt = text(r['attempt']);
      const duration = text(r['duration_ms']);
      current.results.push({
        suite: String(r['suite'] ?? ''),
        className: text(r['class_name']),
        name: String(r['name'] ?? ''),
        status: String(r['status'] ?? ''),
        durationMs: duration === null ? Number.NaN : Number(duration),
        ...(attempt !== null && { attempt: Number(attempt) }),
        startedAt: iso(r['started_at']),
        worker: text(r['worker']),
        hardware: text(r['hardware']),
        message: text(r['message']),
        stackTrace: text(r['stack_trace']),
        tags: json(r['tags'], 'tags', row) ?? null,
        metrics: json(r['metrics'], 'metrics', row) ?? null,
      });
    }
  }
  if (current) yield flush();
}
