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

/** A sample with at most this many distinct values is sent as one point per value: exact. */
const SAMPLE_POINTS_EXACT = 16_384;
/** A sample with more distinct values is sent as this many equal-count bins. */
const SAMPLE_BINS = 8_192;

type SideRow = {
  side: string;
  n: bigint | number;
  mean: number;
  sd: number | null;
  median: number;
  u: number;
  tie: number;
  points: { lo: number; hi: number; w: bigint | number; m: number }[];
};

/**
 * U of a sample x against the reference r is Σ_{x} (#r < x + ½·#r = x): each
 * distinct value's count times the reference values below it and half those
 * equal (the sample's own ranks cancel out of U); an ASOF join finds, for
 * each distinct value, the reference's cumulative count at or below it. The pooled tie term is the
 * reference's own Σ(t³ − t) plus, at each value the sample holds, the change
 * from t = r to t = r + x. Means and standard deviations come from the raw
 * values; the median from the two middle positions, as a sorted array gives it.
 */
function statisticsSql(column: string, value: string, from: string, sides: string, ref: string): string {
  const f = (t: string) => `((${t})::DOUBLE * (${t}) * (${t}) - (${t}))`;
  return `WITH raw AS MATERIALIZED (
    SELECT side, v FROM (SELECT ${column} AS side, ${value}::DOUBLE AS v ${from})
    WHERE side IN (${sides}) AND v IS NOT NULL AND abs(v) <= ${RAW_CEILING}),
  moments AS (SELECT side, count(*) AS n, avg(v) AS mean, stddev_samp(v) AS sd FROM raw GROUP BY side),
  vals AS MATERIALIZED (
    SELECT side, v, c,
      sum(c) OVER (PARTITION BY side ORDER BY v ROWS UNBOUNDED PRECEDING) AS cum,
      row_number() OVER (PARTITION BY side ORDER BY v) AS k,
      count(*) OVER (PARTITION BY side) AS d
    FROM (SELECT side, v, count(*) AS c FROM raw GROUP BY side, v)),
  ref AS (SELECT v, c, cum FROM vals WHERE side = ${ref}),
  ranked AS (
    SELECT x.*, CASE WHEN a.v = x.v THEN a.c ELSE 0 END AS r_at, coalesce(a.cum, 0) AS r_le
    FROM vals x ASOF LEFT JOIN ref a ON x.v >= a.v),
  binned AS (
    SELECT r.*, m.n, CASE WHEN d <= ${SAMPLE_POINTS_EXACT} THEN k ELSE ((cum - c) * ${SAMPLE_BINS}) // m.n END AS bin
    FROM ranked r JOIN moments m USING (side)),
  ref_tie AS (SELECT coalesce(sum(${f('c')}), 0) AS t FROM vals WHERE side = ${ref}),
  per_side AS (
    SELECT side,
      sum(c * (r_le - r_at + r_at / 2)) AS u,
      sum(${f('r_at + c')} - ${f('r_at')}) AS tie_delta,
      (min(v) FILTER (WHERE cum >= (n + 1) // 2) + min(v) FILTER (WHERE cum >= n // 2 + 1)) / 2 AS median
    FROM binned GROUP BY side),
  points AS (
    SELECT side, list({lo: lo, hi: hi, w: w, m: m} ORDER BY lo) AS points FROM (
      SELECT side, bin, min(v) AS lo, max(v) AS hi, sum(c) AS w, sum(c * v) / sum(c) AS m FROM binned GROUP BY side, bin)
    GROUP BY side)
  SELECT m.side, m.n, m.mean, m.sd, s.median, s.u::DOUBLE AS u,
    CASE WHEN m.side = ${ref} THEN (SELECT t FROM ref_tie) ELSE (SELECT t FROM ref_tie) + s.tie_delta END::DOUBLE AS tie,
    p.points
  FROM moments m JOIN per_side s USING (side) JOIN points p USING (side)`;
}

/** Each value's sample summarized and ranked against the reference's (values without data left out). */
export async function querySampleStatistics(
  db: Database,
  q: SampleStatisticsQuery,
): Promise<SampleStatistics[]> {
  const p = new Params();
  const { from, value } = rawSource(q.series, q.filter, p);
  const column =
    q.tag !== undefined
      ? `tags[${p.bind(q.tag)}]`
      : q.dimension === 'RUN'
        ? '(SELECT id FROM runs WHERE seq = run_seq)'
        : DIMENSION_COLUMN[q.dimension];
  const sides = p.list([...new Set([q.reference, ...q.values])]);
  const ref = p.bind(q.reference);
  const rows = await db.query<SideRow>(statisticsSql(column, value, from, sides, ref), p.values);
  return rows.map((r) => {
    const n = toNumber(r.n);
    const points: WeightedPoint[] = r.points.map((x) => ({
      lo: x.lo,
      hi: x.hi,
      mean: x.lo === x.hi ? x.lo : x.m,
      weight: toNumber(x.w),
    }));
    return {
      value: r.side,
      n,
      mean: r.mean,
      stdDev: n > 1 ? (r.sd ?? 0) : null,
      median: r.median,
      u: r.u,
      tieTerm: r.tie,
      points,
    };
  });
}
