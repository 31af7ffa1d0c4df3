/**
 * The samples `compare` and the performance view test, summarized and ranked
 * in DuckDB so no raw value crosses into JavaScript: per value of one
 * dimension (or tag), its size, mean, standard deviation and median, its
 * Mann–Whitney U against the reference value and the tie term of the two
 * pooled, and the sample as weighted points for the Hodges–Lehmann shift.
 */
import type { Database } from './database.ts';
import { DIMENSION_COLUMN } from './metrics.ts';
import { Params } from './sql.ts';
import { RAW_CEILING, rawSource } from './series.ts';
import type { SampleStatistics, SampleStatisticsQuery, WeightedPoint } from '../domain/series.ts';
import { toNumber } from './values.ts';

/** How a sample becomes weighted points. */
interface PointOptions {
  /** A sample with at most this many distinct values is sent as one point per value: exact. @default 65,536 */
  readonly exactPoints?: number;
  /** A sample with more distinct values is sent as this many equal-count bins. @default 8,192 */
  readonly bins?: number;
}

type SideRow = {
  axis: number;
  side: string;
  n: bigint | number;
  mean: number;
  sd: number | null;
  median: number;
  u: number;
  tie: number;
  points: { lo: number; hi: number; w: bigint | number; m: number }[];
};

interface AxisSql {
  /** The column expression that gives a row's value of the axis. */
  readonly column: string;
  /** The inside of `IN (…)` for the axis's values, and the reference as a parameter. */
  readonly sides: string;
  readonly ref: string;
}

/**
 * U of a sample x against the reference r is Σ_{x} (#r < x + ½·#r = x): each
 * distinct value's count times the reference values below it and half those
 * equal (the sample's own ranks cancel out of U); an ASOF join finds, for each
 * distinct value, the reference's cumulative count at or below it. The pooled
 * tie term is the reference's own Σ(t³ − t) plus, at each value the sample
 * holds, the change from t = r to t = r + x. Means and standard deviations
 * come from the raw values; the median from the two middle positions, as a
 * sorted array gives it. The slice is scanned once for every axis (`raw`),
 * then stacked as (axis, side, v) rows.
 */
function statisticsSql(
  axes: readonly AxisSql[],
  value: string,
  from: string,
  { exactPoints = 65_536, bins = 8_192 }: PointOptions,
): string {
  const f = (t: string) => `((${t})::DOUBLE * (${t}) * (${t}) - (${t}))`;
  const columns = axes.map((x, i) => `${x.column} AS a${i}`).join(', ');
  const anySide = axes.map((x, i) => `a${i} IN (${x.sides})`).join(' OR ');
  const stacked = axes
    .map(
      (x, i) =>
        `SELECT ${i} AS axis, a${i} AS side, a${i} = ${x.ref} AS is_ref, v FROM raw WHERE a${i} IN (${x.sides})`,
    )
    .join(' UNION ALL ');
  return `WITH raw AS MATERIALIZED (
    SELECT * FROM (SELECT ${columns}, ${value}::DOUBLE AS v ${from})
    WHERE (${anySide}) AND v IS NOT NULL AND abs(v) <= ${RAW_CEILING}),
  long AS MATERIALIZED (${stacked}),
  moments AS (SELECT axis, side, any_value(is_ref) AS is_ref, count(*) AS n, avg(v) AS mean, stddev_samp(v) AS sd FROM long GROUP BY axis, side),
  vals AS MATERIALIZED (
    SELECT axis, side, is_ref, v, c,
      sum(c) OVER (PARTITION BY axis, side ORDER BY v ROWS UNBOUNDED PRECEDING) AS cum,
      row_number() OVER (PARTITION BY axis, side ORDER BY v) AS k,
      count(*) OVER (PARTITION BY axis, side) AS d
    FROM (SELECT axis, side, any_value(is_ref) AS is_ref, v, count(*) AS c FROM long GROUP BY axis, side, v)),
  ref AS (SELECT axis, v, c, cum FROM vals WHERE is_ref),
  ranked AS (
    SELECT x.*, CASE WHEN a.v = x.v THEN a.c ELSE 0 END AS r_at, coalesce(a.cum, 0) AS r_le
    FROM vals x ASOF LEFT JOIN ref a ON x.axis = a.axis AND x.v >= a.v),
  binned AS (
    SELECT r.*, m.n, CASE WHEN d <= ${Math.trunc(exactPoints)} THEN k ELSE ((cum - c) * ${Math.trunc(bins)}) // m.n END AS bin
    FROM ranked r JOIN moments m USING (axis, side)),
  ref_tie AS (SELECT axis, sum(${f('c')}) AS t FROM vals WHERE is_ref GROUP BY axis),
  per_side AS (
    SELECT axis, side,
      sum(c * (r_le - r_at + r_at / 2)) AS u,
      sum(${f('r_at + c')} - ${f('r_at')}) AS tie_delta,
      (min(v) FILTER (WHERE cum >= (n + 1) // 2) + min(v) FILTER (WHERE cum >= n // 2 + 1)) / 2 AS median
    FROM binned GROUP BY axis, side),
  points AS (
    SELECT axis, side, list({lo: lo, hi: hi, w: w, m: m} ORDER BY lo) AS points FROM (
      SELECT axis, side, bin, min(v) AS lo, max(v) AS hi, sum(c) AS w, sum(c * v) / sum(c) AS m FROM binned GROUP BY axis, side, bin)
    GROUP BY axis, side)
  SELECT m.axis, m.side, m.n, m.mean, m.sd, s.median, s.u::DOUBLE AS u,
    (coalesce(t.t, 0) + CASE WHEN m.is_ref THEN 0 ELSE s.tie_delta END)::DOUBLE AS tie,
    p.points
  FROM moments m JOIN per_side s USING (axis, side) JOIN points p USING (axis, side) LEFT JOIN ref_tie t USING (axis)`;
}

/** Per axis, each value's sample summarized and ranked against the reference's (values without data left out). */
export async function querySampleStatistics(
  db: Database,
  q: SampleStatisticsQuery,
  options: PointOptions = {},
): Promise<SampleStatistics[][]> {
  if (!q.axes.length) return [];
  const p = new Params();
  const { from, value } = rawSource(q.series, q.filter, p);
  const axes = q.axes.map(
    (x): AxisSql => ({
      column:
        x.tag !== undefined
          ? `tags[${p.bind(x.tag)}]`
          : x.dimension === 'RUN'
            ? '(SELECT id FROM runs WHERE seq = run_seq)'
            : DIMENSION_COLUMN[x.dimension],
      sides: p.list([...new Set([x.reference, ...x.values])]),
      ref: p.bind(x.reference),
    }),
  );
  const rows = await db.query<SideRow>(statisticsSql(axes, value, from, options), p.values);
  const out = q.axes.map((): SampleStatistics[] => []);
  for (const r of rows) {
    const n = toNumber(r.n);
    const points: WeightedPoint[] = r.points.map((x) => ({
      lo: x.lo,
      hi: x.hi,
      mean: x.lo === x.hi ? x.lo : x.m,
      weight: toNumber(x.w),
    }));
    out[r.axis]?.push({
      value: r.side,
      n,
      mean: r.mean,
      stdDev: n > 1 ? (r.sd ?? 0) : null,
      median: r.median,
      u: r.u,
      tieTerm: r.tie,
      points,
    });
  }
  return out;
}
