/**
 * The comparison of {@link compareSamples} from samples summarized by the
 * database (src/db/sample-statistics.ts) instead of raw values: sizes,
 * means, standard deviations and medians for the summaries and Welch's t;
 * U and the pooled tie term for Mann–Whitney; weighted points for the
 * Hodges–Lehmann shift and its interval.
 *
 * Accuracy. The p-values and Welch's figures are those of the raw samples.
 * The Hodges–Lehmann shift and interval are order statistics of the
 * pairwise differences of the points: exact while each sample's points are
 * its distinct values (the database sends them so up to 65,536 distinct
 * values), otherwise differences of equal-count bins' means; each such
 * difference is then off by at most the two bins' widths, so every figure
 * lies within [the same order statistic of (lo_c − hi_b), of (hi_c − lo_b)].
 */
import {
  checkedOptions,
  comparisonOf,
  type CompareOptions,
  type SampleComparison,
  type Summary,
} from './compare.ts';
import { mannWhitneyFromRanks, shiftIntervalRank } from './mann-whitney.ts';
import { kthWeightedDifference, medianWeightedDifference, type Weighted } from './weighted-differences.ts';
import { welchFromSummaries } from './welch.ts';
import type { SampleStatistics } from '../domain/series.ts';

const weighted = (s: SampleStatistics): Weighted => ({
  values: s.points.map((p) => p.mean),
  weights: s.points.map((p) => p.weight),
});

const summary = (s: SampleStatistics): Summary => ({
  n: s.n,
  mean: s.mean,
  median: s.median,
  stdDev: s.stdDev,
});

/**
 * Compares a candidate's summarized sample with the baseline's; the
 * candidate's `u` and `tieTerm` are against that baseline.
 *
 * @throws InsufficientSampleError when a sample has fewer than 1 value (MANN_WHITNEY) or 2 (WELCH_T);
 *   RangeError on confidence or alpha outside (0, 1)
 * @example compareStatistics(cpu, cuda, { confidence: 0.95 }).pValue
 * @complexity O(P · log(m·n)) for P points, plus the exact distribution when used
 */
export function compareStatistics(
  baseline: SampleStatistics,
  candidate: SampleStatistics,
  options: CompareOptions = {},
): SampleComparison {
  const { method, confidence, alpha } = checkedOptions('compareStatistics', options, baseline.n, candidate.n);
  const b = summary(baseline);
  const c = summary(candidate);
  let delta: number;
  let lower: number;
  let upper: number;
  let pValue: number;
  let location: number;
  if (method === 'MANN_WHITNEY') {
    const m = baseline.n;
    const n = candidate.n;
    const mn = m * n;
    const [wb, wc] = [weighted(baseline), weighted(candidate)];
    const kth = (k: number): number => kthWeightedDifference(wb, wc, k);
    delta = medianWeightedDifference(wb, wc);
    const k = shiftIntervalRank(m, n, candidate.tieTerm, confidence);
    lower = kth(k);
    upper = kth(mn + 1 - k);
    ({ pValue } = mannWhitneyFromRanks(m, n, candidate.u, candidate.tieTerm));
    location = b.median;
  } else {
    const stdDev = (s: Summary) => s.stdDev ?? 0;
    ({ delta, lower, upper, pValue } = welchFromSummaries(
      { n: b.n, mean: b.mean, stdDev: stdDev(b) },
      { n: c.n, mean: c.mean, stdDev: stdDev(c) },
      confidence,
    ));
    location = b.mean;
  }
  return comparisonOf(b, c, { delta, lower, upper, pValue }, location, alpha, method);
}
