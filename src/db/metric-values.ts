/**
 * Named metrics in long form, kept beside `results` so a slice of one metric
 * reads three narrow columns instead of every result's list of metrics, and
 * its tags from the few distinct tag maps instead of every result's map.
 *
 * `metric_values` holds one row per result and metric name (the first of
 * that name in the result's list, as `list_filter(metrics, …)[1]` reads it),
 * with the result's slice dimensions and the id of its tag map in
 * `tag_sets`, the distinct `tags` of the results that carry metrics. Every
 * write of results calls `indexMetricValues` in its transaction (ingest,
 * bulk loads through `finishBulkLoad` or `bulk-load.ts`); retention deletes
 * the rows of deleted runs; snapshots and compaction copy both tables.
 */
import { type Params, resultFilterSql, tagFilterSql, where } from './sql.ts';
import type { ResultFilter } from '../domain/types.ts';
import type { WriteTx } from './write-tx.ts';

type Tx = Pick<WriteTx, 'query'>;

/** Migration 12: the tables, filled from the results already stored. */
export const METRIC_VALUES_MIGRATION = {
  version: 12,
  name: 'metric values in long form',
  sql: `
    -- The distinct tag maps of results that carry metrics; metric_values names them by id.
    CREATE TABLE tag_sets (id BIGINT NOT NULL, tags MAP(VARCHAR, VARCHAR) NOT NULL);
    -- One row per result and metric name, with the result's slice dimensions (src/db/metric-values.ts).
    CREATE TABLE metric_values (
      result_id BIGINT NOT NULL,
      run_seq BIGINT NOT NULL,
      test_id VARCHAR NOT NULL,
      project VARCHAR NOT NULL,
      suite VARCHAR NOT NULL,
      branch VARCHAR,
      commit_sha VARCHAR,
      worker VARCHAR,
      hardware VARCHAR,
      status VARCHAR NOT NULL,
      started_at TIMESTAMP NOT NULL,
      tag_set BIGINT NOT NULL,
      name VARCHAR NOT NULL,
      value DOUBLE
    );
  `,
  backfill: (tx: Tx) => indexMetricValues(tx),
};

/**
 * Adds the metric values of the results with `id >= fromId` (by default,
 * those after the last result indexed: result ids only grow, so every result
 * with metrics above that one is not indexed yet), set-based: their new tag
 * maps first, then one row per result and distinct metric name.
 */
export async function indexMetricValues(tx: Tx, fromId?: number): Promise<void> {
  const from = fromId === undefined ? '(SELECT coalesce(max(result_id) + 1, 0) FROM metric_values)' : '$1';
  const params = fromId === undefined ? [] : [BigInt(fromId)];
  const fresh = `SELECT ${INDEXED} FROM results WHERE id >= ${from} AND len(metrics) > 0`;
  await tx.query(
    `INSERT INTO tag_sets
     SELECT (SELECT coalesce(max(id), 0) FROM tag_sets) + row_number() OVER (ORDER BY tags::VARCHAR), tags
     FROM (SELECT DISTINCT tags FROM (${fresh})) n
     WHERE NOT EXISTS (SELECT 1 FROM tag_sets s WHERE s.tags IS NOT DISTINCT FROM n.tags)`,
    params,
  );
  await tx.query(
    `INSERT INTO metric_values
     SELECT r.id, r.run_seq, r.test_id, r.project, r.suite, r.branch, r.commit_sha, r.worker, r.hardware,
       r.status, r.started_at, s.id, r.m.name, r.m.value
     FROM (SELECT *, unnest(metrics) AS m, generate_subscripts(metrics, 1) AS i FROM (${fresh})) r
     JOIN tag_sets s ON s.tags IS NOT DISTINCT FROM r.tags
     WHERE list_position(list_transform(r.metrics, x -> x.name), r.m.name) = r.i
     ORDER BY r.id, r.i`,
    params,
  );
}

/** The columns of results that metric_values copies (and the two it unfolds). */
const INDEXED =
  'id, run_seq, test_id, project, suite, branch, commit_sha, worker, hardware, status, started_at, tags, metrics';

/**
 * FROM … WHERE of a slice's values of the metrics `names` (the column `name` says which, `value`
 * holds it). Each of `tagKeys` is a column (`tag(key)` names it), read once per distinct tag map:
 * joined in `from`, or with `late`, left to the caller to join (`lateJoin`) onto rows it has
 * grouped by `tag_set`, so the grouping hashes an integer instead of strings. The slice's tag
 * conditions keep the tag maps they accept; the rest of the filter reads the dimension columns,
 * which metric_values shares with results.
 */
export function metricValuesSource(
  names: readonly string[],
  filter: ResultFilter,
  p: Params,
  tagKeys: readonly string[] = [],
  { late = false } = {},
): { from: string; tag: (key: string) => string; lateJoin: string } {
  const aliases = new Map([...new Set(tagKeys)].map((key, i) => [key, `tag_${i}`]));
  const tagConds = tagFilterSql(filter, p);
  const cols = ['id AS tag_set', ...[...aliases].map(([key, alias]) => `tags[${p.bind(key)}] AS ${alias}`)];
  const join = aliases.size ? `JOIN (SELECT ${cols.join(', ')} FROM tag_sets) USING (tag_set)` : '';
  const conds = [
    ...resultFilterSql(filter, p, '', { tags: false }),
    `name IN (${p.list(names)})`,
    ...(tagConds.length ? [`tag_set IN (SELECT id FROM tag_sets ${where(tagConds)})`] : []),
  ];
  return {
    from: `FROM metric_values ${late ? '' : join} ${where(conds)}`,
    lateJoin: late ? join : '',
    tag: (key) => {
      const alias = aliases.get(key);
      if (!alias) throw new Error(`tag ${JSON.stringify(key)} was not asked of metricValuesSource`);
      return alias;
    },
  };
}
