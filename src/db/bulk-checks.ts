import type { WriteTx } from './write-tx.ts';
import { firstRowid, ISO, q, typedColumns, type Types } from './bulk-columns.ts';
import { badInput } from '../domain/errors.ts';
import { INGEST_LIMITS } from '../domain/ingest.ts';
import { STATUSES } from '../domain/types.ts';

/**
 * The rules a bulk-load row must keep (validateIngest's, src/domain/ingest-batch.ts), as SQL
 * over the typed columns (bulk-columns.ts), and the row-by-row pass that names the bad rows:
 * bulk-stage.ts runs it only when its set-based checks found a file to refuse.
 */
type Tx = Pick<WriteTx, 'query'>;
/** [condition that makes a row bad, column, message SQL]; the first that holds is reported. */
export type Check = [string, string, string];

const L = INGEST_LIMITS;
const nameBad = (c: string) => `(${c} IS NULL OR length(${c}) > ${L.maxNameLength})`;
const nameMsg = (): string => q(`must be a non-empty string of at most ${L.maxNameLength} characters`);
const got = (raw: string) => `' (got ' || coalesce(${raw}, 'nothing') || ')'`;

/** Rules on a row's plain columns. */
export function rowChecks(): Check[] {
  const isoMsg = (c: string) =>
    `CASE WHEN regexp_full_match(${c}_txt, ${ISO}, 'i') THEN '"' || ${c}_txt || '" is not a real date and time'
          ELSE '"' || ${c}_txt || '" is not an ISO-8601 timestamp; use a form such as 2026-11-01T10:00:00Z' END`;
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
    ...(['started_at', 'run_started_at', 'run_finished_at'] as const).map(
      (c): Check => [`${c}_txt IS NOT NULL AND ${c} IS NULL`, c, isoMsg(c)],
    ),
  ];
}

/** Rules on the tags JSON (over tags_txt, tags_j: the text when valid JSON, and tag_keys). */
export function tagChecks(): Check[] {
  return [
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
  ];
}

/** Rules on the metrics JSON (over metrics_txt, metrics_j and metric_list). */
export function metricChecks(): Check[] {
  const metric = (m: string) =>
    `json_type(${m}, '$.name') = 'VARCHAR' AND nullif(trim(${m}->>'name'), '') IS NOT NULL AND length(trim(${m}->>'name')) <= ${L.maxNameLength}`;
  const metricValue = (m: string) =>
    `json_type(${m}, '$.value') IN ('BIGINT', 'UBIGINT', 'DOUBLE') AND abs(try_cast(${m}->>'value' AS DOUBLE)) <= ${L.maxMetricMagnitude}`;
  return [
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

/** Whether any check holds (a NULL condition does not). */
export const anyBad = (checks: readonly Check[]): string =>
  checks.map(([cond]) => `coalesce(${cond}, false)`).join(' OR ');

/** tags_j/metrics_j (the text when it is valid JSON) and tag_keys/metric_list over `from`'s tags_txt/metrics_txt. */
export const parsedJson = (from: string): string => `
  SELECT *,
         CASE WHEN json_type(tags_j) = 'OBJECT' THEN json_keys(tags_j) ELSE [] END AS tag_keys,
         CASE WHEN json_type(metrics_j) = 'ARRAY' THEN json_extract(metrics_j, '$[*]') ELSE [] END AS metric_list
  FROM (
    -- Only valid JSON reaches the JSON functions (they throw on malformed input); the checks report the rest.
    SELECT *, CASE WHEN json_valid(tags_txt) THEN tags_txt END AS tags_j,
           CASE WHEN json_valid(metrics_txt) THEN metrics_txt END AS metrics_j
    FROM ${from}
  )`;

/**
 * Checks `bulk_raw` row by row into `bulk_problems`, each bad row with its first broken rule,
 * then throws naming the first bad rows (nothing is written). Slower than the set-based
 * checks: run only when those found a bad row.
 */
export async function refuseBadRows(tx: Tx, file: string, types: Types): Promise<void> {
  const problem = [...rowChecks(), ...tagChecks(), ...metricChecks()]
    .map(([cond, field, msg]) => `CASE WHEN ${cond} THEN {'field': '${field}', 'message': ${msg}} END`)
    .join(',\n');
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE bulk_problems AS
    WITH raw AS (SELECT ${typedColumns(types)} FROM bulk_raw)
    SELECT row, problem FROM (SELECT row, coalesce(${problem}) AS problem FROM (${parsedJson('raw')}))
    WHERE problem IS NOT NULL`,
    [await firstRowid(tx)],
  );
  const bad = await tx.query<{ row: bigint; field: string; message: string; n: bigint }>(
    `SELECT row, problem.field AS field, problem.message AS message, count(*) OVER () AS n
     FROM bulk_problems ORDER BY row LIMIT 5`,
  );
  const first = bad[0];
  // The set-based checks and these are the same rules: a file they refused has a bad row here.
  if (!first) throw new Error(`${file}: the bulk load's checks disagree; no row was found to refuse`);
  const n = Number(first.n);
  throw badInput(
    `${file}: ${n === 1 ? 'a row is' : `${n} rows are`} invalid, so nothing was loaded; fix ${n === 1 ? 'it' : 'them'} and load the file again. ` +
      bad.map((b) => `Row ${b.row} (the header not counted), column ${b.field}: ${b.message}`).join('; ') +
      (n > bad.length ? `; … and ${n - bad.length} more` : ''),
    { field: first.field, row: Number(first.row) },
  );
}
