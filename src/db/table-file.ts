import type { Database } from './database.ts';
import { Params, resultFilterSql, where } from './sql.ts';
import { toNumber } from './values.ts';
import type { TableFormat } from '../domain/table-file.ts';
import type { ResultFilter } from '../domain/types.ts';

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
