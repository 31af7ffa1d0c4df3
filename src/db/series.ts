import type { Database } from './database.ts';
import type { Row } from './write-tx.ts';
import { groupFromRow, groupKeys, queryMetrics, runIdSql, type TagExpr } from './metrics.ts';
import { metricValuesSource } from './metric-values.ts';
import { Params, infraSql, resultFilterSql, where } from './sql.ts';
import { metricsFromRow, toNumber } from './values.ts';
import type { FlakinessExecution } from '../domain/flakiness.ts';
import type {
  ExecutionVector,
  GroupSeries,
  SeriesKind,
  SeriesMeasure,
  SeriesQuery,
} from '../domain/series.ts';
import { measureKey, type Measure, type MetricsGroup, type ResultFilter } from '../domain/types.ts';

/** The metrics measure that gives a bucketed series its value, and the one that gives its n. */
function bucketMeasures(q: SeriesQuery): [Measure, Measure] {
  if ('metric' in q.series)
    return [
      { kind: 'metric', name: q.series.metric, stat: q.stat },
      { kind: 'metric', name: q.series.metric, stat: 'COUNT' },
    ];
  const n: Measure = { kind: 'count', name: 'executions' };
  const value: Readonly<Record<SeriesMeasure, Measure>> = {
    PASS_RATE: { kind: 'count', name: 'passRate' },
    FAIL_RATE: { kind: 'count', name: 'failRate' },
    FLAKY_RATE: { kind: 'count', name: 'flakyRate' },
    EXECUTIONS: n,
    DURATION: { kind: 'duration', stat: q.stat },
  };
  return [value[q.series.measure], n];
}

/** Per-execution value of a measure without bucketing (skipped executions carry none). */
const RAW_MEASURE: Readonly<Record<SeriesMeasure, string>> = {
  PASS_RATE: "CASE WHEN status = 'SKIPPED' THEN NULL ELSE (status = 'PASSED')::DOUBLE END",
  FAIL_RATE: "CASE WHEN status = 'SKIPPED' THEN NULL ELSE (status IN ('FAILED', 'ERROR'))::DOUBLE END",
  FLAKY_RATE: "CASE WHEN status = 'SKIPPED' THEN NULL ELSE flaky::DOUBLE END",
  EXECUTIONS: '1.0',
  DURATION: "CASE WHEN status = 'SKIPPED' THEN NULL ELSE duration_ms END",
};

/**
 * FROM/WHERE and the value expression of a series' raw values: executions for measures, the
 * metric's values (metric-values.ts) for a metric; `tag` gives a tag's value in a row (for a
 * metric, only of the `tagKeys` asked, and with `late`, only after `lateJoin` onto rows grouped
 * by `tag_set`; `lateJoin` is empty where the tags are in the rows already).
 */
export function rawSource(
  series: SeriesKind,
  filter: ResultFilter,
  p: Params,
  tagKeys: readonly string[] = [],
  { late = false } = {},
): { from: string; value: string; tag: TagExpr; lateJoin: string } {
  if ('metric' in series) {
    const source = metricValuesSource([series.metric], filter, p, tagKeys, { late });
    return { from: source.from, value: 'value', tag: (key) => source.tag(key), lateJoin: source.lateJoin };
  }
  const conds = [...resultFilterSql(filter, p), ...infraSql(filter)];
  return {
    from: `FROM executions ${where(conds)}`,
    value: RAW_MEASURE[series.measure],
    tag: (key, bind) => `tags[${bind.bind(key)}]`,
    lateJoin: '',
  };
}

type Grouped = Pick<SeriesQuery, 'groupBy' | 'groupByTags'>;

const groupKeyOf = (row: Row, q: Grouped) =>
  JSON.stringify([
    ...q.groupBy.map((d) => row[`g_${d.toLowerCase()}`] ?? null),
    ...q.groupByTags.map((_, i) => row[`gt_${i}`] ?? null),
  ]);

/**
 * Unbucketed rows of a slice, ordered by group and time: the group key
 * columns, `t`, and `columns` (SQL expressions with aliases), read from
 * `from` (a FROM … WHERE clause built on the same Params), at most `limit`.
 */
async function groupedRows(
  db: Database,
  q: Grouped & { limit: number },
  p: Params,
  columns: readonly string[],
  from: string,
  having = '',
  tag?: TagExpr,
): Promise<Row[]> {
  const keys = groupKeys({ ...q, bucket: 'NONE' }, tag);
  const select = [...keys.map((k) => `${k.expr(p)} AS ${k.alias}`), 'started_at AS t', 'run_seq', ...columns];
  const runId = q.groupBy.includes('RUN') ? `, ${runIdSql('g_run')}` : '';
  const order = [...keys.map((k) => `${k.alias} NULLS LAST`), 't'].join(', ');
  return db.query(
    `SELECT *${runId} FROM (SELECT ${select.join(', ')} ${from}) ${having ? `WHERE ${having}` : ''} ORDER BY ${order} LIMIT ${p.bind(q.limit)}`,
    p.values,
  );
}

/** Splits rows sorted by group into one list per group, dropping groups left empty. */
function splitByGroup<T>(
  rows: readonly Row[],
  q: Grouped,
  item: (r: Row) => T | null,
): { group: MetricsGroup; items: T[] }[] {
  const out: { key: string; group: MetricsGroup; items: T[] }[] = [];
  for (const row of rows) {
    const key = groupKeyOf(row, q);
    let last = out.at(-1);
    if (!last || last.key !== key) out.push((last = { key, group: groupFromRow(row, q), items: [] }));
    const x = item(row);
    if (x !== null) last.items.push(x);
  }
  return out.filter((g) => g.items.length > 0).map(({ group, items }) => ({ group, items }));
}

/**
 * A series per group: bucketed through the metrics query (so every figure
 * matches `metrics`), or one point per execution (per result for a metric)
 * with bucket NONE.
 */
export async function querySeries(db: Database, q: SeriesQuery): Promise<GroupSeries[]> {
  if (q.bucket !== 'NONE') {
    const [value, n] = bucketMeasures(q);
    const rows = await queryMetrics(db, {
      filter: q.filter,
      groupBy: q.groupBy,
      groupByTags: q.groupByTags,
      bucket: q.bucket,
      measures: [value, n],
      orderBy: null,
      limit: q.limit,
    });
    const series = new Map<
      string,
      { group: MetricsGroup; points: { t: Date; value: number; n: number }[] }
    >();
    for (const r of rows) {
      const v = r.values[measureKey(value)];
      if (v === null || v === undefined || r.bucket === null) continue;
      const key = JSON.stringify(r.group);
      const s = series.get(key) ?? { group: r.group, points: [] };
      s.points.push({ t: r.bucket, value: v, n: r.values[measureKey(n)] ?? 0 });
      series.set(key, s);
    }
    return [...series.values()].map((s) => ({
      group: s.group,
      points: s.points.sort((a, b) => a.t.getTime() - b.t.getTime()),
    }));
  }
  const p = new Params();
  const { from, value, tag } = rawSource(q.series, q.filter, p, q.groupByTags);
  const rows = await groupedRows(
    db,
    q,
    p,
    [`${value} AS v`],
    from,
    `v IS NOT NULL AND abs(v) <= ${RAW_CEILING}`,
    tag,
  );
  return splitByGroup(rows, q, (r) => ({ t: r['t'] as Date, value: Number(r['v']), n: 1 })).map(
    ({ group, items }) => ({ group, points: items }),
  );
}

/**
 * Raw values beyond every ingest bound (durations, metric magnitudes) can only have been stored
 * before the bounds existed; raw analyses leave them out, since their squares overflow a double.
 */
export const RAW_CEILING = '1e15';

/**
 * Each test's executions in the slice (skipped ones left out, and those of infrastructure failures
 * unless the filter includes them), oldest first, for the flakiness score: the reference definition.
 */
export async function queryFlakinessHistory(
  db: Database,
  filter: ResultFilter,
  limit: number,
): Promise<Map<string, FlakinessExecution[]>> {
  const p = new Params();
  const rows = await db.query<{
    test_id: string;
    at: bigint;
    commit_sha: string | null;
    status: string;
    flaky: boolean;
  }>(
    `SELECT test_id, epoch_ms(started_at) AS at, commit_sha, status, flaky FROM executions
     ${where([...resultFilterSql(filter, p), "status <> 'SKIPPED'", ...infraSql(filter)])}
     ORDER BY test_id, started_at, run_seq LIMIT ${p.bind(limit)}`,
    p.values,
  );
  const out = new Map<string, FlakinessExecution[]>();
  for (const r of rows) {
    let list = out.get(r.test_id);
    if (!list) out.set(r.test_id, (list = []));
    list.push({
      at: toNumber(r.at),
      commit: r.commit_sha,
      passed: r.status === 'PASSED',
      failed: r.status === 'FAILED' || r.status === 'ERROR',
      retryFlaky: r.flaky,
    });
  }
  return out;
}

/** Per group, every result's duration and named metrics (for the multivariate detector), oldest first. */
export async function queryExecutionVectors(
  db: Database,
  q: Pick<SeriesQuery, 'filter' | 'groupBy' | 'groupByTags' | 'limit'>,
): Promise<{ group: MetricsGroup; rows: ExecutionVector[] }[]> {
  const p = new Params();
  const rows = await groupedRows(
    db,
    q,
    p,
    ['duration_ms', 'metrics'],
    `FROM results ${where([...resultFilterSql(q.filter, p), "status <> 'SKIPPED'"])}`,
  );
  return splitByGroup(
    rows,
    q,
    (row): ExecutionVector => ({
      t: row['t'] as Date,
      durationMs: Number(row['duration_ms']),
      metrics: Object.fromEntries(metricsFromRow(row['metrics']).map((m) => [m.name, m.value])),
    }),
  ).map(({ group, items }) => ({ group, rows: items }));
}
