// Kept apart from table-file.ts, which loads DuckDB, so the CLI's help can name the columns cheaply.

/**
 * The table layout of exported results, and what a CSV or Parquet bulk load
 * reads: one row per attempt. tags is a JSON object of strings, metrics a
 * JSON list of { name, value, unit }; times are ISO-8601 (UTC without an
 * offset). An export loads back unchanged.
 */
export const TABLE_COLUMNS = [
  'run_id',
  'project',
  'branch',
  'commit',
  'run_started_at',
  'run_finished_at',
  'suite',
  'class_name',
  'name',
  'status',
  'attempt',
  'duration_ms',
  'started_at',
  'worker',
  'hardware',
  'message',
  'stack_trace',
  'tags',
  'metrics',
] as const;

/** Columns a bulk-load file must have; the rest are optional. */
export const REQUIRED_COLUMNS = ['run_id', 'project', 'suite', 'name', 'status', 'duration_ms'] as const;
