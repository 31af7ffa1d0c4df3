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
  /**
   * The weighted points as parallel lists, each ordered by lo (distinct: points are disjoint runs of
   * values), so they line up; a list of structs cost a JavaScript object per point and per field read.
   */
  lo: number[];
  hi: number[];
  w: number[];
  m: number[];
};

interface AxisSql {
  /** The column expression that gives a row's value of the axis (after the late join when `late`). */
  readonly column: string;
  readonly late: boolean;
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
 * holds, the change from t = r to t = r + x. The slice is scanned once and
 * counted per combination of the axes' values and value (`raw`), then per
 * axis, side and distinct value (`vals`): everything after reads those
 * counts. Means and standard deviations are weighted by them (the deviations
 * from the mean, in a second pass); the median comes from the two middle
 * positions, as a sorted array gives it.
 */
function statisticsSql(
  axes: readonly AxisSql[],
  source: { value: string; from: string; lateJoin: string },
  { exactPoints = 65_536, bins = 8_192 }: PointOptions,
): string {
  const f = (t: string) => `((${t})::DOUBLE * (${t}) * (${t}) - (${t}))`;
  const early = axes.flatMap((x, i) => (x.late ? [] : [`${x.column} AS a${i}`]));
  const outer = axes.map((x, i) => (x.late ? `${x.column} AS a${i}` : `a${i}`));
  const anySide = `(${axes.map((x, i) => `a${i} IN (${x.sides})`).join(' OR ')})`;
  const late = axes.some((x) => x.late);
  const perAxis = axes
    .map(
      (x, i) =>
        `SELECT ${i} AS axis, a${i} AS side, a${i} = ${x.ref} AS is_ref, v, sum(c)::BIGINT AS c FROM raw WHERE a${i} IN (${x.sides}) GROUP BY a${i}, v`,
    )
    .join(' UNION ALL ');
  // Rows are counted per value before the tags are joined in (a late join, see metricValuesSource).
  const keys = [...axes.flatMap((x, i) => (x.late ? [] : [`a${i}`])), ...(late ? ['tag_set'] : [])];
  const counted = `SELECT ${[...keys, 'v', 'count(*) AS c'].join(', ')}
    FROM (SELECT ${[...early, ...(late ? ['tag_set'] : []), `${source.value}::DOUBLE AS v`].join(', ')} ${source.from})
    WHERE ${late ? '' : `${anySide} AND`} v IS NOT NULL AND abs(v) <= ${RAW_CEILING} GROUP BY ALL`;
  return `WITH raw AS ${axes.length > 1 ? 'MATERIALIZED ' : ''}(
    SELECT ${outer.join(', ')}, v, c FROM (${counted}) ${late ? `${source.lateJoin} WHERE ${anySide}` : ''}),
  vals AS MATERIALIZED (
    SELECT axis, side, is_ref, v, c,
      sum(c) OVER (PARTITION BY axis, side ORDER BY v ROWS UNBOUNDED PRECEDING) AS cum
    FROM (${perAxis})),
  sums AS (SELECT axis, side, any_value(is_ref) AS is_ref, sum(c)::BIGINT AS n, sum(c * v) / sum(c) AS mean, count(*) AS d FROM vals GROUP BY axis, side),
  moments AS (
    SELECT m.axis, m.side, any_value(m.is_ref) AS is_ref, any_value(m.n) AS n, any_value(m.mean) AS mean,
      sqrt(sum(x.c * (x.v - m.mean) * (x.v - m.mean)) / nullif(any_value(m.n) - 1, 0)) AS sd
    FROM sums m JOIN vals x USING (axis, side) GROUP BY m.axis, m.side),
  ref AS (SELECT axis, v, c, cum FROM vals WHERE is_ref),
  ranked AS (
    SELECT x.*, CASE WHEN a.v = x.v THEN a.c ELSE 0 END AS r_at, coalesce(a.cum, 0) AS r_le
    FROM vals x ASOF LEFT JOIN ref a ON x.axis = a.axis AND x.v >= a.v),
  binned AS (
    SELECT r.*, m.n, CASE WHEN m.d <= ${Math.trunc(exactPoints)} THEN cum ELSE ((cum - c) * ${Math.trunc(bins)}) // m.n END AS bin
    FROM ranked r JOIN sums m USING (axis, side)),
  ref_tie AS (SELECT axis, sum(${f('c')}) AS t FROM vals WHERE is_ref GROUP BY axis),
  per_side AS (
    SELECT axis, side,
      sum(c * (r_le - r_at + r_at / 2)) AS u,
      sum(${f('r_at + c')} - ${f('r_at')}) AS tie_delta,
      (min(v) FILTER (WHERE cum >= (n + 1) // 2) + min(v) FILTER (WHERE cum >= n // 2 + 1)) / 2 AS median
    FROM binned GROUP BY axis, side),
  points AS (
    SELECT axis, side, list(lo ORDER BY lo) AS lo, list(hi ORDER BY lo) AS hi, list(w ORDER BY lo) AS w,
      list(m ORDER BY lo) AS m FROM (
      SELECT axis, side, bin, min(v) AS lo, max(v) AS hi, sum(c)::DOUBLE AS w, sum(c * v) / sum(c) AS m
      FROM binned GROUP BY axis, side, bin)
    GROUP BY axis, side)
  SELECT m.axis, m.side, m.n, m.mean, m.sd, s.median, s.u::DOUBLE AS u,
    (coalesce(t.t, 0) + CASE WHEN m.is_ref THEN 0 ELSE s.tie_delta END)::DOUBLE AS tie,
    p.lo, p.hi, p.w, p.m
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
  const tagKeys = q.axes.flatMap((x) => (x.tag !== undefined ? [x.tag] : []));
  const { from, value, tag, lateJoin } = rawSource(q.series, q.filter, p, tagKeys, { late: true });
  const axes = q.axes.map(
    (x): AxisSql => ({
      late: x.tag !== undefined && lateJoin !== '',
      column:
        x.tag !== undefined
          ? tag(x.tag, p)
          : x.dimension === 'RUN'
            ? '(SELECT id FROM runs WHERE seq = run_seq)'
            : DIMENSION_COLUMN[x.dimension],
      sides: p.list([...new Set([x.reference, ...x.values])]),
      ref: p.bind(x.reference),
    }),
  );
  const rows = await db.query<SideRow>(statisticsSql(axes, { value, from, lateJoin }, options), p.values);
  const out = q.axes.map((): SampleStatistics[] => []);
  for (const r of rows) {
    const n = toNumber(r.n);
    const points: WeightedPoint[] = r.lo.map((lo, i) => {
      const hi = r.hi[i]!;
      return { lo, hi, mean: lo === hi ? lo : r.m[i]!, weight: r.w[i]! };
    });
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
