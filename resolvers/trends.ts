import { changePoints } from '../src/analytics/change-points.ts';
import { mannKendall, senSlope } from '../src/analytics/mann-kendall.ts';
import { ols } from '../src/analytics/ols.ts';
import type { GroupSeries, SeriesStore } from '../src/domain/series.ts';
import type { TrendDirection, TrendSeries } from '../src/domain/trends.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import { daysBetween, higherIsBetter, readSeries, seriesQuery, type SeriesArgs } from './series-args.ts';

/** Significance level of `direction`. */
const ALPHA = 0.05;

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * One group's trend. x is days since the first point, so slopes are per day.
 * `direction` follows Mann–Kendall (robust to outliers and non-linearity):
 * significant at 0.05, in the sense of its S statistic (Sen's slope can be 0
 * for a step, where most pairs lie within one level), read as good or bad for
 * the measure (a falling pass rate degrades, a falling duration improves).
 */
function analyseTrend(s: GroupSeries, higherBetter: boolean): TrendSeries {
  const points = s.points;
  const first = points[0]!.t;
  const x = points.map((p) => daysBetween(first, p.t));
  const y = points.map((p) => p.value);
  const distinctX = new Set(x).size;
  const fit = points.length >= 2 && distinctX >= 2 ? ols(x, y) : null;
  const mk = points.length >= 3 && distinctX >= 2 ? mannKendall(y) : null;
  const sen = mk ? senSlope(x, y) : null;
  let direction: TrendDirection = 'STABLE';
  if (mk && mk.pValue < ALPHA && mk.s !== 0)
    direction = mk.s > 0 === higherBetter ? 'IMPROVING' : 'DEGRADING';
  return {
    group: s.group,
    points,
    slope: fit ? finiteOrNull(fit.slope) : null,
    slopeStdErr: fit ? finiteOrNull(fit.slopeStdErr) : null,
    intercept: fit ? finiteOrNull(fit.intercept) : null,
    interceptStdErr: fit ? finiteOrNull(fit.interceptStdErr) : null,
    rSquared: fit ? finiteOrNull(fit.rSquared) : null,
    residualStdErr: fit ? finiteOrNull(fit.residualStdErr) : null,
    pValue: fit ? finiteOrNull(fit.pValue) : null,
    mannKendall:
      mk && sen !== null
        ? { tau: Number.isFinite(mk.tau) ? mk.tau : 0, pValue: mk.pValue, senSlope: sen }
        : null,
    direction,
    changePoints: changePoints(y).map((c) => ({ t: points[c.index]!.t, before: c.before, after: c.after })),
  };
}

/** A trend per group of the slice. */
export function trends(deps: FeatureDeps<SeriesStore, 'cache'>, args: SeriesArgs): Promise<TrendSeries[]> {
  const q = seriesQuery(args);
  return deps.cache.get('trends', q, async () => {
    const better = higherIsBetter(q.series);
    return (await readSeries(deps, q)).map((s) => analyseTrend(s, better));
  });
}
