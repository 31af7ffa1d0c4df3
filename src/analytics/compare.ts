/**
 * Compare two samples (benchstat-style): is the candidate's location
 * different from the baseline's, by how much, and how sure are we?
 *
 * AUTO means MANN_WHITNEY, as in benchstat: test durations and metrics are
 * skewed and heavy-tailed (a few slow outliers), where the rank test keeps
 * its level and most of its power while the t-test's mean and variance are
 * dragged by the outliers; the Hodges–Lehmann shift is likewise robust.
 */
import type { CompareMethod } from '../domain/compare.ts';
import { hodgesLehmann, mannWhitneyU } from './mann-whitney.ts';
import { sortedCopy } from './sorted.ts';
import { meanAndStdDev, welchTTest } from './welch.ts';

export type { CompareMethod } from '../domain/compare.ts';

/** Size, mean, median and sample standard deviation (n − 1) of one sample. */
export interface Summary {
  readonly n: number;
  readonly mean: number;
  readonly median: number;
  /** Null with a single value. */
  readonly stdDev: number | null;
}

export interface CompareOptions {
  /** @default 'AUTO' (= MANN_WHITNEY) */
  readonly method?: CompareMethod | 'AUTO' | undefined;
  /** Confidence level of the interval of delta. @default 0.95 */
  readonly confidence?: number | undefined;
  /** Significance level: significant = pValue < alpha. @default 0.05 */
  readonly alpha?: number | undefined;
}

export interface SampleComparison {
  readonly baseline: Summary;
  readonly candidate: Summary;
  /** Candidate − baseline: Hodges–Lehmann shift for MANN_WHITNEY, difference of means for WELCH_T. */
  readonly delta: number;
  /** delta / |baseline location| × 100 (median for MANN_WHITNEY, mean for WELCH_T); null when that location is 0. */
  readonly deltaPct: number | null;
  /** Confidence interval of delta. */
  readonly lower: number;
  readonly upper: number;
  /** Two-sided p-value of "no difference". */
  readonly pValue: number;
  readonly significant: boolean;
  /** The method used (never AUTO). */
  readonly method: CompareMethod;
}

/** A sample is too small for the method; `minimum` is how many values it needs. */
export class InsufficientSampleError extends RangeError {
  override readonly name = 'InsufficientSampleError';
  readonly minimum: number;
  readonly got: number;
  readonly sample: 'baseline' | 'candidate';

  constructor(method: CompareMethod, sample: 'baseline' | 'candidate', minimum: number, got: number) {
    super(
      `${method} needs at least ${minimum} value${minimum === 1 ? '' : 's'} in the ${sample} sample (got ${got})`,
    );
    this.minimum = minimum;
    this.got = got;
    this.sample = sample;
  }
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * n, mean, median and sample standard deviation of a sample.
 * @throws RangeError when the sample is empty
 * @example summarize([3, 1, 2, 10]) // { n: 4, mean: 4, median: 2.5, stdDev: 4.082… }
 * @complexity O(n log n)
 */
/**
 * The options with their defaults, checked, and the method AUTO stands for; throws when a
 * sample of `m` or `n` values is too small for it (`who` names the caller in messages).
 */
export function checkedOptions(
  who: string,
  options: CompareOptions,
  m: number,
  n: number,
): { method: CompareMethod; confidence: number; alpha: number } {
  const { method: requested = 'AUTO', confidence = 0.95, alpha = 0.05 } = options;
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`${who} needs 0 < confidence < 1 (got ${confidence})`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`${who} needs 0 < alpha < 1 (got ${alpha})`);
  const method: CompareMethod = requested === 'AUTO' ? 'MANN_WHITNEY' : requested;
  const minimum = method === 'WELCH_T' ? 2 : 1;
  if (m < minimum) throw new InsufficientSampleError(method, 'baseline', minimum, m);
  if (n < minimum) throw new InsufficientSampleError(method, 'candidate', minimum, n);
  return { method, confidence, alpha };
}

/** A comparison's answer from its estimate: the shift also relative to the baseline's `location` (median or mean). */
export function comparisonOf(
  baseline: Summary,
  candidate: Summary,
  estimate: { delta: number; lower: number; upper: number; pValue: number },
  location: number,
  alpha: number,
  method: CompareMethod,
): SampleComparison {
  const { delta, pValue } = estimate;
  return {
    baseline,
    candidate,
    ...estimate,
    deltaPct: location === 0 ? null : (delta / Math.abs(location)) * 100,
    significant: pValue < alpha,
    method,
  };
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('summarize needs at least one value');
  const { mean, stdDev } = meanAndStdDev(values);
  return {
    n: values.length,
    mean,
    median: median(sortedCopy(values)),
    stdDev: values.length > 1 ? stdDev : null,
  };
}

/**
 * Compares a candidate sample with a baseline (benchstat-style).
 * MANN_WHITNEY: two-sided Mann–Whitney U test (exact for small samples
 * without ties) and the Hodges–Lehmann shift with its distribution-free
 * interval; WELCH_T: Welch's t-test of the difference of means.
 *
 * @throws InsufficientSampleError (a RangeError) when a sample has fewer than
 *   1 value (MANN_WHITNEY) or 2 values (WELCH_T); RangeError on a non-finite
 *   value or confidence/alpha outside (0, 1)
 * @example
 * compareSamples([10, 11, 12, 13], [14, 15, 16, 17]).delta // 4
 * @complexity O((m + n) log(m + n) · log(mn)); O(m·n·min(m, n)) more for the exact distribution (m·n ≤ 400)
 */
export function compareSamples(
  baseline: readonly number[],
  candidate: readonly number[],
  options: CompareOptions = {},
): SampleComparison {
  const { method, confidence, alpha } = checkedOptions(
    'compareSamples',
    options,
    baseline.length,
    candidate.length,
  );
  if (!baseline.every(Number.isFinite) || !candidate.every(Number.isFinite))
    throw new RangeError('compareSamples needs finite values (drop NaN and ±Infinity first)');

  const b = summarize(baseline);
  const c = summarize(candidate);
  let delta: number;
  let lower: number;
  let upper: number;
  let pValue: number;
  let location: number;
  if (method === 'MANN_WHITNEY') {
    ({ estimate: delta, lower, upper } = hodgesLehmann(baseline, candidate, confidence));
    ({ pValue } = mannWhitneyU(baseline, candidate));
    location = b.median;
  } else {
    ({ delta, lower, upper, pValue } = welchTTest(baseline, candidate, confidence));
    location = b.mean;
  }
  return comparisonOf(b, c, { delta, lower, upper, pValue }, location, alpha, method);
}
