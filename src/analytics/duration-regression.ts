/**
 * Is one new duration slower than a test's own history explains? Durations
 * are skewed (a few slow outliers) and vary multiplicatively, so the test
 * works on their logarithms: the new value against a Student-t prediction
 * interval of the history (the textbook interval for one future observation
 * of a normal sample: x̄ ± t·s·√(1 + 1/n)).
 */
import { twoSidedTPValue } from './distributions.ts';

export interface DurationSurprise {
  /** Earlier durations the test used. */
  readonly n: number;
  /** (ln x − mean ln history) / (sd ln history · √(1 + 1/n)); ±Infinity when the history never varied. */
  readonly t: number;
  /** One-sided P(T ≥ t) with n − 1 degrees of freedom: small when x is slower than the history explains. */
  readonly pValue: number;
}

/** Durations below 1 ms count as 1 ms, so the logarithm is defined. */
const log = (ms: number): number => Math.log(Math.max(ms, 1));

/**
 * How surprising a duration `x` is given a test's earlier durations.
 *
 * @throws RangeError with fewer than 2 earlier durations or a value that is not finite
 * @example durationSurprise([100, 100 * Math.E ** 0.1, 100 * Math.E ** -0.1], 100 * Math.E ** 0.3)
 *   // { n: 3, t: 3√3/2 ≈ 2.598, pValue: 1/2 − 3√3/(2√35) ≈ 0.0608 }
 * @complexity O(n)
 */
export function durationSurprise(history: readonly number[], x: number): DurationSurprise {
  const n = history.length;
  if (n < 2) throw new RangeError(`durationSurprise needs at least 2 earlier durations (got ${n})`);
  if (!Number.isFinite(x) || history.some((h) => !Number.isFinite(h)))
    throw new RangeError('durationSurprise needs finite durations');
  const logs = history.map(log);
  const mean = logs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const d = log(x) - mean;
  if (sd === 0)
    return { n, t: d > 0 ? Infinity : d < 0 ? -Infinity : 0, pValue: d > 0 ? 0 : d < 0 ? 1 : 0.5 };
  const t = d / (sd * Math.sqrt(1 + 1 / n));
  const half = twoSidedTPValue(t, n - 1) / 2;
  return { n, t, pValue: t > 0 ? half : 1 - half };
}
