import type { WriteTx } from './write-tx.ts';
import { INGEST_LIMITS } from '../domain/ingest.ts';
import type { TableFormat } from '../domain/table-file.ts';
import { TABLE_COLUMNS } from './table-layout.ts';

/**
 * SQL pieces a CSV/Parquet bulk load types the file's columns with, shared by
 * its fast pass (bulk-stage.ts) and its row-by-row check (bulk-checks.ts).
 * Column names come from TABLE_COLUMNS (a whitelist), never from the file.
 */
type Column = (typeof TABLE_COLUMNS)[number];
/** The file's columns and their DuckDB types (absent columns are undefined). */
export type Types = ReadonlyMap<string, string>;

const L = INGEST_LIMITS;
export const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** ISO-8601 date-time with a real time of day; without an offset it is UTC (parseTimestamp's rule). */
export const ISO = q(
  String.raw`^\d{4}-\d{2}-\d{2}[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$`,
);
const ZONED = q(String.raw`(Z|[+-]\d{2}:?\d{2})$`);

export const reader = (format: TableFormat): string =>
  format === 'parquet' ? 'read_parquet($1)' : 'read_csv($1, header = true, all_varchar = true)';

/** Text of a column of any type, trimmed, '' as NULL. */
const text = (c: string, type: string | undefined): string =>
  type === undefined
    ? 'NULL::VARCHAR'
    : `nullif(trim(${type === 'VARCHAR' ? c : `CAST(${c} AS VARCHAR)`}), '')`;

const NUMERIC = /^(DOUBLE|FLOAT|REAL|DECIMAL.*|BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|U\w*INT)$/;

/** A number column as DOUBLE (NULL when empty or not a number). */
const number = (c: string, type: string | undefined): string =>
  type !== undefined && NUMERIC.test(type) ? `${c}::DOUBLE` : `try_cast(${text(c, type)} AS DOUBLE)`;

/** A time column as a UTC TIMESTAMP; strings must be ISO-8601 (NULL otherwise: the checks compare with the _txt column). */
function time(c: string, type: string | undefined): string {
  if (type === 'TIMESTAMP' || type?.startsWith('TIMESTAMP_') || type === 'DATE') return `${c}::TIMESTAMP`;
  if (type === 'TIMESTAMP WITH TIME ZONE') return `timezone('UTC', ${c})`;
  const s = text(c, type);
  return `CASE WHEN NOT regexp_full_match(${s}, ${ISO}, 'i') THEN NULL
    WHEN regexp_matches(${s}, ${ZONED}, 'i') THEN timezone('UTC', try_cast(${s} AS TIMESTAMPTZ))
    ELSE try_cast(${s} AS TIMESTAMP) END`;
}

/** JSON text of a tags or metrics column (a nested Parquet column is turned into JSON). */
export const jsonText = (c: string, type: string | undefined): string =>
  type === undefined
    ? 'NULL::VARCHAR'
    : type === 'VARCHAR' || type === 'JSON'
      ? `nullif(trim(${c}::VARCHAR), '')`
      : `to_json(${c})::VARCHAR`;

export const truncated = (c: string) =>
  `CASE WHEN length(${c}) > ${L.maxTextLength} THEN left(${c}, ${L.maxTextLength}) || ${q(`… [truncated by Assay at ${L.maxTextLength} characters]`)} ELSE ${c} END`;

/** The stable test id (ids.ts's testId): a hash of project, suite, class name and name. */
export const TEST_ID = `substr(sha256(project || chr(31) || suite || chr(31) || coalesce(class_name, '') || chr(31) || name), 1, 16)`;

const OPTIONAL = ['branch', 'commit', 'class_name', 'worker', 'hardware'] as const;

/**
 * The columns of `bulk_raw` typed, with the text each was read from (`*_txt`)
 * for the checks' messages; `row` is 1 for the first row after the header
 * (bind `$1` to bulk_raw's first rowid: firstRowid).
 */
export function typedColumns(types: Types): string {
  const col = (c: Column) => `"${c}"`;
  const t = (c: Column) => types.get(c);
  return `rowid - $1 + 1 AS row,
    ${(['run_id', 'project', 'suite', 'name', ...OPTIONAL, 'message', 'stack_trace'] as const).map((c) => `${text(col(c), t(c))} AS "${c}"`).join(', ')},
    upper(${text(col('status'), t('status'))}) AS status, ${text(col('status'), t('status'))} AS status_txt,
    ${number(col('duration_ms'), t('duration_ms'))} AS duration_ms, ${text(col('duration_ms'), t('duration_ms'))} AS duration_txt,
    coalesce(${number(col('attempt'), t('attempt'))}, CASE WHEN ${text(col('attempt'), t('attempt'))} IS NULL THEN 1 END) AS attempt,
    ${text(col('attempt'), t('attempt'))} AS attempt_txt,
    ${(['started_at', 'run_started_at', 'run_finished_at'] as const).map((c) => `${time(col(c), t(c))} AS ${c}, ${text(col(c), t(c))} AS ${c}_txt`).join(', ')},
    ${jsonText(col('tags'), t('tags'))} AS tags_txt, ${jsonText(col('metrics'), t('metrics'))} AS metrics_txt`;
}

/** bulk_raw's first rowid (its rowids run in the file's order), the `$1` of typedColumns. */
export async function firstRowid(tx: Pick<WriteTx, 'query'>): Promise<bigint> {
  const [r] = await tx.query<{ first: bigint | null }>('SELECT min(rowid) AS first FROM bulk_raw');
  return r?.first ?? 0n;
}
