/**
 * Welch's unequal-variances t-test of a difference of means, from raw
 * samples or from summary statistics. Pure functions.
 */
import { studentTQuantile, twoSidedTPValue } from './distributions.ts';

/** Mean, sample standard deviation (n − 1) and size of one sample. */
export interface MeanSummary {
  readonly n: number;
  readonly mean: number;
  readonly stdDev: number;
}

/** The outcome of Welch's test of candidate − baseline. */
export interface WelchTest {
  /** Difference of means, candidate − baseline. */
  readonly delta: number;
  /** Standard error of delta: √(s_b²/n_b + s_c²/n_c). */
  readonly stdErr: number;
  /** t = delta / stdErr (0 when both samples are constant and equal, ±∞ when constant and different). */
  readonly t: number;
  /** Welch–Satterthwaite degrees of freedom (n_b + n_c − 2 when both samples are constant). */
  readonly df: number;
  readonly pValue: number;
  /** Confidence interval of delta: delta ± t₍(1+confidence)/2; df₎ · stdErr. */
  readonly lower: number;
  readonly upper: number;
}

/**
 * Welch's t-test from summaries (Welch 1947; NIST/SEMATECH e-Handbook
 * §1.3.5.3): t = (x̄_c − x̄_b)/√(s_b²/n_b + s_c²/n_c), with Welch–Satterthwaite
 * ν = (s_b²/n_b + s_c²/n_c)² / ((s_b²/n_b)²/(n_b − 1) + (s_c²/n_c)²/(n_c − 1)),
 * a two-sided p-value and a t-based confidence interval of the difference.
 *
 * @throws RangeError when a sample has fewer than 2 values, a statistic is not finite, or confidence is outside (0, 1)
 * @example welchFromSummaries({ n: 249, mean: 20.14458, stdDev: 6.41470 }, { n: 79, mean: 30.48101, stdDev: 6.10771 }, 0.95)
 *   // { delta: 10.33643, t: 12.9463, df: 136.87, … }
 * @complexity O(1)
 */
export function welchFromSummaries(
  baseline: MeanSummary,
  candidate: MeanSummary,
  confidence: number,
): WelchTest {
  for (const [name, s] of [
    ['baseline', baseline],
    ['candidate', candidate],
  ] as const) {
    if (!(Number.isInteger(s.n) && s.n >= 2))
      throw new RangeError(`Welch's t-test needs at least 2 values in the ${name} sample (got ${s.n})`);
    if (!Number.isFinite(s.mean) || !(s.stdDev >= 0 && Number.isFinite(s.stdDev)))
      throw new RangeError(
        `Welch's t-test needs a finite mean and standard deviation for the ${name} sample`,
      );
  }
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`Welch's t-test needs 0 < confidence < 1 (got ${confidence})`);
  const vb = (baseline.stdDev * baseline.stdDev) / baseline.n;
  const vc = (candidate.stdDev * candidate.stdDev) / candidate.n;
  const delta = candidate.mean - baseline.mean;
  const stdErr = Math.sqrt(vb + vc);
  if (stdErr === 0) {
    // Both samples constant: the difference is known exactly.
    const df = baseline.n + candidate.n - 2;
    const t = delta === 0 ? 0 : delta > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    return { delta, stdErr, t, df, pValue: delta === 0 ? 1 : 0, lower: delta, upper: delta };
  }
  const df = (vb + vc) ** 2 / (vb ** 2 / (baseline.n - 1) + vc ** 2 / (candidate.n - 1));
  const t = delta / stdErr;
  const half = studentTQuantile((1 + confidence) / 2, df) * stdErr;
  return { delta, stdErr, t, df, pValue: twoSidedTPValue(t, df), lower: delta - half, upper: delta + half };
}

/** Mean and sample standard deviation (n − 1) by two passes. */
export function meanAndStdDev(values: readonly number[]): { mean: number; stdDev: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { mean, stdDev: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}

/**
 * Welch's t-test of candidate − baseline from raw samples; see {@link welchFromSummaries}.
 * @throws RangeError when a sample has fewer than 2 values or holds a non-finite value
 * @example welchTTest([1, 2, 3, 4], [2, 4, 6, 8], 0.95).delta // 2.5
 * @complexity O(n_b + n_c)
 */
export function welchTTest(
  baseline: readonly number[],
  candidate: readonly number[],
  confidence: number,
): WelchTest {
  if (![...baseline, ...candidate].every(Number.isFinite))
    throw new RangeError("Welch's t-test needs finite values");
  return welchFromSummaries(
    { n: baseline.length, ...meanAndStdDev(baseline) },
    { n: candidate.length, ...meanAndStdDev(candidate) },
    confidence,
  );
}
