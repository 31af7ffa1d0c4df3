import { DAILY_COUNT_SQL, dailyAnswers } from './daily.ts';
import { type Params, infraSql, resultFilterSql, where } from './sql.ts';
import type { Measure, MetricsQuery } from '../domain/types.ts';

/** A group key as metrics.ts builds it (declared here so neither file imports the other back). */
interface GroupKey {
  readonly alias: string;
  readonly expr: (p: Params) => string;
}

/**
 * A page of groups ranked on counts, with duration stats beside the counts (a pass rate per
 * test and day, with its p95): the daily counts choose the page's groups, and only those
 * groups' executions are aggregated for the durations. Percentiles cannot be summed from
 * days, but a page of 500 groups needs them for 500 groups, not for every group of the slice.
 */
export interface RankedExec {
  readonly q: MetricsQuery;
  readonly keys: readonly GroupKey[];
  /** The distinct execution measures (counts and duration stats), with their column names. */
  readonly measures: readonly { readonly measure: Measure; readonly col: string; readonly sql: string }[];
  /** ORDER BY terms over the measure columns and key aliases, as the outer query orders. */
  readonly order: readonly string[];
  readonly p: Params;
}

/**
 * Whether the daily counts can choose the page: the query is grouped, asks no named metric,
 * is not ordered by a duration stat, and its filter, grouping and bucket are ones the daily
 * counts answer.
 */
export function dailyRanks(
  q: MetricsQuery,
  keys: readonly GroupKey[],
  measures: readonly Measure[],
  orderMeasure: Measure | null,
): boolean {
  return (
    keys.length > 0 &&
    measures.every((m) => m.kind !== 'metric') &&
    measures.some((m) => m.kind === 'duration') &&
    orderMeasure?.kind !== 'duration' &&
    dailyAnswers(
      q,
      measures.filter((m) => m.kind === 'count'),
    )
  );
}

/**
 * The CTE body giving the same columns as the plain aggregate over the executions (group
 * keys, then every measure column) for the page's groups: `d` ranks the groups on the daily
 * counts (a group exists when it holds an execution, as in the executions), `x` aggregates the
 * durations of those groups' executions alone, and they are joined on the keys (null-safe: a
 * branch may be null).
 */
export function rankedExecSql({ q, keys, measures, order, p }: RankedExec): string {
  const slice = () => where([...resultFilterSql(q.filter, p), ...infraSql(q.filter)]);
  const select = (kind: Measure['kind'], sqlOf: (m: RankedExec['measures'][number]) => string) => [
    ...keys.map((k) => `${k.expr(p)} AS ${k.alias}`),
    ...measures.filter((m) => m.measure.kind === kind).map((m) => `${sqlOf(m)} AS ${m.col}`),
  ];
  const dailySql = (m: RankedExec['measures'][number]) =>
    m.measure.kind === 'count' ? DAILY_COUNT_SQL[m.measure.name] : m.sql;
  const groupBy = `GROUP BY ${keys.map((k) => k.alias).join(', ')}`;
  // Unqualified key expressions name the executions' columns: d's are the g_… and bucket aliases.
  const inPage = keys.map((k) => `d.${k.alias} IS NOT DISTINCT FROM ${k.expr(p)}`).join(' AND ');
  const sameGroup = keys.map((k) => `d.${k.alias} IS NOT DISTINCT FROM x.${k.alias}`).join(' AND ');
  const ranked = `d AS (SELECT ${select('count', dailySql).join(', ')} FROM daily_counts ${slice()}
    ${groupBy} HAVING sum(executions) > 0 ORDER BY ${order.join(', ')} LIMIT ${p.bind(q.limit)})`;
  const stats = `x AS (SELECT ${select('duration', (m) => m.sql).join(', ')}
    FROM executions SEMI JOIN d ON ${inPage} ${slice()} ${groupBy})`;
  const cols = [
    ...keys.map((k) => `d.${k.alias}`),
    ...measures.map((m) => `${m.measure.kind === 'count' ? 'd' : 'x'}.${m.col}`),
  ];
  return `WITH ${ranked}, ${stats} SELECT ${cols.join(', ')} FROM d LEFT JOIN x ON ${sameGroup}`;
}
