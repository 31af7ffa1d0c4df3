import type { WriteTx } from './write-tx.ts';
import {
  firstRowid,
  jsonText,
  reader,
  TEST_ID,
  truncated,
  typedColumns,
  type Types,
} from './bulk-columns.ts';
import { anyBad, metricChecks, parsedJson, refuseBadRows, rowChecks, tagChecks } from './bulk-checks.ts';
import { badInput } from '../domain/errors.ts';
import type { TableFormat } from '../domain/table-file.ts';
import { REQUIRED_COLUMNS, TABLE_COLUMNS } from './table-layout.ts';

/**
 * The first half of a CSV/Parquet bulk load (bulk-load.ts), set-based: DuckDB
 * reads the file into a temp table (`bulk_raw`, its rowid the file's row
 * order); the JSON rules are checked once per distinct tags and metrics text
 * (a run's rows repeat them), then one pass types every row into `bulk_rows`
 * with a `bad` flag for the rules on its plain columns. Only when a rule is
 * broken does the row-by-row pass (bulk-checks.ts) run, to refuse the whole
 * file naming the file, the rows and the columns.
 */
type Tx = Pick<WriteTx, 'query'>;

const EMPTY_TAGS = 'MAP([]::VARCHAR[], []::VARCHAR[])';
const METRIC_JSON = `'[{"name": "VARCHAR", "value": "DOUBLE", "unit": "VARCHAR"}]'`;

/** Whether a distinct tags or metrics text of the file breaks a JSON rule. */
async function badJson(tx: Tx, types: Types): Promise<boolean> {
  const distinct = (c: 'tags' | 'metrics') => {
    const other = c === 'tags' ? 'metrics_txt' : 'tags_txt';
    return `(SELECT ${c}_txt, NULL::VARCHAR AS ${other} FROM (SELECT DISTINCT ${jsonText(`"${c}"`, types.get(c))} AS ${c}_txt FROM bulk_raw))`;
  };
  const [r] = await tx.query<{ bad: boolean }>(
    `SELECT (SELECT coalesce(bool_or(${anyBad(tagChecks())}), false) FROM (${parsedJson(distinct('tags'))}))
         OR (SELECT coalesce(bool_or(${anyBad(metricChecks())}), false) FROM (${parsedJson(distinct('metrics'))})) AS bad`,
  );
  return r?.bad ?? false;
}

/**
 * The file's rows typed: the test id, and tags and metrics parsed (their
 * texts are known to be valid: badJson). `bad` marks a row that breaks a rule.
 */
const typedRowsSql = (types: Types) => `
  CREATE OR REPLACE TEMP TABLE bulk_rows AS
  SELECT row, ${anyBad(rowChecks())} AS bad, run_id, project, branch, "commit", run_started_at, run_finished_at,
         ${TEST_ID} AS test_id, suite, class_name, name, status, try_cast(attempt AS INTEGER) AS attempt, duration_ms,
         started_at, worker, hardware, ${truncated('message')} AS message, ${truncated('stack_trace')} AS stack_trace,
         coalesce(from_json(tags_txt, '"MAP(VARCHAR, VARCHAR)"'), ${EMPTY_TAGS}) AS tags,
         coalesce(list_transform(from_json(metrics_txt, ${METRIC_JSON}),
                                 m -> {'name': trim(m.name), 'value': m.value, 'unit': nullif(trim(m.unit), '')}), []) AS metrics
  FROM (SELECT ${typedColumns(types)} FROM bulk_raw)`;

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
  if (await badJson(tx, types)) return refuseBadRows(tx, file, types);
  await tx.query(typedRowsSql(types), [await firstRowid(tx)]);
  const [r] = await tx.query<{ bad: boolean | null }>('SELECT bool_or(bad) AS bad FROM bulk_rows');
  if (r?.bad) await refuseBadRows(tx, file, types);
  // The file as read is no longer needed: its memory goes to the load's later statements.
  await tx.query('DROP TABLE bulk_raw');
}
