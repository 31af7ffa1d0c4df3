import type { WriteTx } from './write-tx.ts';
import { badInput } from '../domain/errors.ts';
import { INGEST_LIMITS } from '../domain/ingest.ts';
import type { TableFormat } from '../domain/table-file.ts';
import { STATUSES } from '../domain/types.ts';
import { REQUIRED_COLUMNS, TABLE_COLUMNS } from './table-layout.ts';

/**
 * The first half of a CSV/Parquet bulk load (bulk-load.ts): DuckDB reads the
 * file into a temp table (`bulk_raw`, its rowid the file's row order), then
 * one set-based statement types and checks every row by the rules of
 * validateIngest (src/domain/ingest-batch.ts) into `bulk_rows`. A bad row
 * refuses the whole file, naming the file, the row and the column.
 */
type Tx = Pick<WriteTx, 'query'>;

const L = INGEST_LIMITS;
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** ISO-8601 date-time with a real time of day; without an offset it is UTC (parseTimestamp's rule). */
const ISO = q(
  String.raw`^\d{4}-\d{2}-\d{2}[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$`,
);
const ZONED = q(String.raw`(Z|[+-]\d{2}:?\d{2})$`);

const reader = (format: TableFormat): string =>
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

/** A time column as a UTC TIMESTAMP; strings must be ISO-8601 (checked in CHECKS via the _txt column). */
function time(c: string, type: string | undefined): string {
  if (type === 'TIMESTAMP' || type?.startsWith('TIMESTAMP_') || type === 'DATE') return `${c}::TIMESTAMP`;
  if (type === 'TIMESTAMP WITH TIME ZONE') return `timezone('UTC', ${c})`;
  const s = text(c, type);
  return `CASE WHEN NOT regexp_full_match(${s}, ${ISO}, 'i') THEN NULL
    WHEN regexp_matches(${s}, ${ZONED}, 'i') THEN timezone('UTC', try_cast(${s} AS TIMESTAMPTZ))
    ELSE try_cast(${s} AS TIMESTAMP) END`;
}

/** JSON text of a tags or metrics column (a nested Parquet column is turned into JSON). */
const jsonText = (c: string, type: string | undefined): string =>
  type === undefined
    ? 'NULL::VARCHAR'
    : type === 'VARCHAR' || type === 'JSON'
      ? `nullif(trim(${c}::VARCHAR), '')`
      : `to_json(${c})::VARCHAR`;

const nameBad = (c: string) => `(${c} IS NULL OR length(${c}) > ${L.maxNameLength})`;
const nameMsg = (): string => q(`must be a non-empty string of at most ${L.maxNameLength} characters`);
const got = (raw: string) => `' (got ' || coalesce(${raw}, 'nothing') || ')'`;
const truncated = (c: string) =>
  `CASE WHEN length(${c}) > ${L.maxTextLength} THEN left(${c}, ${L.maxTextLength}) || ${q(`… [truncated by Assay at ${L.maxTextLength} characters]`)} ELSE ${c} END`;

/** Per row: [condition that makes it bad, column, message SQL]; the first that holds is reported. */
function checks(): [string, string, string][] {
  const isoMsg = (c: string) =>
    `CASE WHEN regexp_full_match(${c}_txt, ${ISO}, 'i') THEN '"' || ${c}_txt || '" is not a real date and time'
          ELSE '"' || ${c}_txt || '" is not an ISO-8601 timestamp; use a form such as 2026-11-01T10:00:00Z' END`;
  const metric = (m: string) =>
    `json_type(${m}, '$.name') = 'VARCHAR' AND nullif(trim(${m}->>'name'), '') IS NOT NULL AND length(trim(${m}->>'name')) <= ${L.maxNameLength}`;
  const metricValue = (m: string) =>
    `json_type(${m}, '$.value') IN ('BIGINT', 'UBIGINT', 'DOUBLE') AND abs(try_cast(${m}->>'value' AS DOUBLE)) <= ${L.maxMetricMagnitude}`;
  return [
    [nameBad('run_id'), 'run_id', nameMsg()],
    [nameBad('project'), 'project', nameMsg()],
    [nameBad('suite'), 'suite', nameMsg()],
    [nameBad('name'), 'name', nameMsg()],
    [`length(class_name) > ${L.maxNameLength}`, 'class_name', nameMsg()],
    [
      `status IS NULL OR status NOT IN (${STATUSES.map(q).join(', ')})`,
      'status',
      `'"' || coalesce(status_txt, '') || '" is not a status; use one of ${STATUSES.join(', ')}'`,
    ],
    [
      `duration_ms IS NULL OR isnan(duration_ms) OR duration_ms < 0 OR duration_ms > ${L.maxDurationMs}`,
      'duration_ms',
      `'must be a number of milliseconds from 0 to ${L.maxDurationMs} (31 days)' || ${got('duration_txt')}`,
    ],
    [
      `attempt IS NULL OR attempt <> floor(attempt) OR attempt < 1 OR attempt > 1000`,
      'attempt',
      `'must be a whole number from 1 (the first try) to 1000' || ${got('attempt_txt')}`,
    ],
    ...(['started_at', 'run_started_at', 'run_finished_at'] as const).map((c): [string, string, string] => [
      `${c}_txt IS NOT NULL AND ${c} IS NULL`,
      c,
      isoMsg(c),
    ]),
    [`tags_txt IS NOT NULL AND tags_j IS NULL`, 'tags', `'is not valid JSON'`],
    [
      `json_type(tags_j) NOT IN ('OBJECT', 'NULL')`,
      'tags',
      `'must be an object of string keys to string values, e.g. {"os": "linux"}'`,
    ],
    [
      `len(tag_keys) > ${L.maxTags}`,
      'tags',
      `'has ' || len(tag_keys) || ' tags; at most ${L.maxTags} are allowed'`,
    ],
    [
      `list_bool_or(list_transform(tag_keys, k -> trim(k) = '' OR length(k) > ${L.maxTagKeyLength}))`,
      'tags',
      `'has an empty tag key or one longer than ${L.maxTagKeyLength} characters'`,
    ],
    [
      `list_bool_or(list_transform(json_extract(tags_j, '$.*'), v -> json_type(v) <> 'VARCHAR' OR length(v->>'$') > ${L.maxTagValueLength}))`,
      'tags',
      `'values must be strings of at most ${L.maxTagValueLength} characters; quote numbers, e.g. "8"'`,
    ],
    [`len(list_distinct(tag_keys)) < len(tag_keys)`, 'tags', `'names a tag twice'`],
    [`metrics_txt IS NOT NULL AND metrics_j IS NULL`, 'metrics', `'is not valid JSON'`],
    [`json_type(metrics_j) NOT IN ('ARRAY', 'NULL')`, 'metrics', `'must be a list of { name, value, unit }'`],
    [
      `len(metric_list) > ${L.maxMetrics}`,
      'metrics',
      `'has ' || len(metric_list) || ' metrics; at most ${L.maxMetrics} are allowed'`,
    ],
    [
      `NOT list_bool_and(list_transform(metric_list, m -> ${metric('m')}))`,
      'metrics',
      `'metrics[' || (list_position(list_transform(metric_list, m -> ${metric('m')}), false) - 1) || '].name must be a non-empty string of at most ${L.maxNameLength} characters'`,
    ],
    [
      `NOT list_bool_and(list_transform(metric_list, m -> coalesce(${metricValue('m')}, false)))`,
      'metrics',
      `'metrics[' || (list_position(list_transform(metric_list, m -> coalesce(${metricValue('m')}, false)), false) - 1) || '].value must be a finite number of magnitude at most ${L.maxMetricMagnitude.toExponential()}'`,
    ],
    [
      `len(list_distinct(list_transform(metric_list, m -> trim(m->>'name')))) < len(metric_list)`,
      'metrics',
      `'names a metric twice; send each name once'`,
    ],
  ];
}

/** Reads `file` into `bulk_rows`: typed columns, the test id, and the row number (1 = the first row after the header). */
export async function stageTableFile(tx: Tx, file: string, format: TableFormat): Promise<void> {
  let described: { column_name: string; column_type: string }[];
  try {
    described = await tx.query(`DESCRIBE SELECT * FROM ${reader(format)}`, [file]);
  } catch (err) {
    throw badInput(`cannot read ${file} as ${format}: ${(err as Error).message.split('\n')[0]}`);
  }
  const types = new Map(described.map((c) => [c.column_name, c.column_type]));
  const missing = REQUIRED_COLUMNS.filter((c) => !types.has(c));
  if (missing.length) {
    throw badInput(
      `${file} lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the layout is ${TABLE_COLUMNS.join(', ')} (run_id, project, suite, name, status and duration_ms required)`,
    );
  }
  // Column names come from TABLE_COLUMNS (a whitelist), never from the file.
  const present = TABLE_COLUMNS.filter((c) => types.has(c));
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE bulk_raw AS SELECT ${present.map((c) => `"${c}"`).join(', ')} FROM ${reader(format)}`,
    [file],
  );
  const col = (c: (typeof TABLE_COLUMNS)[number]) => `"${c}"`;
  const t = (c: (typeof TABLE_COLUMNS)[number]) => types.get(c);
  const optional = ['branch', 'commit', 'class_name', 'worker', 'hardware'] as const;
  const problem = checks()
    .map(([cond, field, msg]) => `CASE WHEN ${cond} THEN {'field': '${field}', 'message': ${msg}} END`)
    .join(',\n');
  await tx.query(`
    CREATE OR REPLACE TEMP TABLE bulk_rows AS
    WITH raw AS (
      SELECT rowid - (SELECT min(rowid) FROM bulk_raw) + 1 AS row,
             ${['run_id', 'project', 'suite', 'name', ...optional, 'message', 'stack_trace'].map((c) => `${text(col(c as never), t(c as never))} AS "${c}"`).join(', ')},
             upper(${text(col('status'), t('status'))}) AS status, ${text(col('status'), t('status'))} AS status_txt,
             ${number(col('duration_ms'), t('duration_ms'))} AS duration_ms, ${text(col('duration_ms'), t('duration_ms'))} AS duration_txt,
             coalesce(${number(col('attempt'), t('attempt'))}, CASE WHEN ${text(col('attempt'), t('attempt'))} IS NULL THEN 1 END) AS attempt,
             ${text(col('attempt'), t('attempt'))} AS attempt_txt,
             ${(['started_at', 'run_started_at', 'run_finished_at'] as const).map((c) => `${time(col(c), t(c))} AS ${c}, ${text(col(c), t(c))} AS ${c}_txt`).join(', ')},
             ${jsonText(col('tags'), t('tags'))} AS tags_txt, ${jsonText(col('metrics'), t('metrics'))} AS metrics_txt
      FROM bulk_raw
    ), parsed AS (
      SELECT *,
             CASE WHEN json_type(tags_j) = 'OBJECT' THEN json_keys(tags_j) ELSE [] END AS tag_keys,
             CASE WHEN json_type(metrics_j) = 'ARRAY' THEN json_extract(metrics_j, '$[*]') ELSE [] END AS metric_list
      FROM (
        -- Only valid JSON reaches the JSON functions (they throw on malformed input); the checks report the rest.
        SELECT *, CASE WHEN json_valid(tags_txt) THEN tags_txt END AS tags_j,
               CASE WHEN json_valid(metrics_txt) THEN metrics_txt END AS metrics_j
        FROM raw
      )
    ), checked AS (
      SELECT *, coalesce(${problem}) AS problem FROM parsed
    )
    SELECT row, problem, run_id, project, branch, "commit", run_started_at, run_finished_at,
           substr(sha256(project || chr(31) || suite || chr(31) || coalesce(class_name, '') || chr(31) || name), 1, 16) AS test_id,
           suite, class_name, name, status, attempt::INTEGER AS attempt, duration_ms, started_at, worker, hardware,
           ${truncated('message')} AS message, ${truncated('stack_trace')} AS stack_trace,
           CASE WHEN problem IS NULL THEN MAP(tag_keys, coalesce(json_extract_string(tags_j, '$.*'), []::VARCHAR[])) END AS tags,
           CASE WHEN problem IS NULL THEN list_transform(metric_list, m -> {'name': trim(m->>'name'), 'value': (m->>'value')::DOUBLE, 'unit': nullif(trim(m->>'unit'), '')}) END AS metrics
    FROM checked`);
  await refuseBadRows(tx, file);
}

/** Throws, naming the first bad rows, when any row of the file broke a rule; nothing is written then. */
async function refuseBadRows(tx: Tx, file: string): Promise<void> {
  const bad = await tx.query<{ row: bigint; field: string; message: string; n: bigint }>(
    `SELECT row, problem.field AS field, problem.message AS message, count(*) OVER () AS n
     FROM bulk_rows WHERE problem IS NOT NULL ORDER BY row LIMIT 5`,
  );
  const first = bad[0];
  if (!first) return;
  const n = Number(first.n);
  throw badInput(
    `${file}: ${n === 1 ? 'a row is' : `${n} rows are`} invalid, so nothing was loaded; fix ${n === 1 ? 'it' : 'them'} and load the file again. ` +
      bad.map((b) => `Row ${b.row} (the header not counted), column ${b.field}: ${b.message}`).join('; ') +
      (n > bad.length ? `; … and ${n - bad.length} more` : ''),
    { field: first.field, row: Number(first.row) },
  );
}
