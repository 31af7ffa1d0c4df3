/**
 * Wilson score interval for a binomial proportion, with a real-valued sample
 * size so that weighted proportions can pass Kish's effective n.
 */
import { normalQuantile } from './distributions.ts';

/** A confidence interval of a proportion, inside [0, 1]. */
export interface ProportionInterval {
  readonly lower: number;
  readonly upper: number;
}

/**
 * Wilson score interval (Wilson 1927; Agresti & Coull 1998) of a proportion
 * `p` observed on `n` trials: (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)
 * with z = Φ⁻¹((1 + confidence)/2). `n` may be fractional (an effective sample
 * size). Always contains `p`, stays in [0, 1], and has upper > 0 at p = 0.
 *
 * @throws RangeError when p is outside [0, 1], n < 0, or confidence is outside (0, 1)
 * @example wilsonInterval(0, 10, 0.95) // { lower: 0, upper: ≈ 0.2775 }
 * @complexity O(1)
 */
export function wilsonInterval(p: number, n: number, confidence: number): ProportionInterval {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`wilsonInterval needs 0 ≤ p ≤ 1 (got ${p})`);
  if (!(n >= 0)) throw new RangeError(`wilsonInterval needs n ≥ 0 (got ${n})`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`wilsonInterval needs 0 < confidence < 1 (got ${confidence})`);
  if (n === 0) return { lower: 0, upper: 1 };
  const z = normalQuantile((1 + confidence) / 2);
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // Clamp away rounding: at p = 0 the lower end is 0 exactly in real arithmetic.
  return {
    lower: Math.min(p, Math.max(0, centre - half)),
    upper: Math.max(p, Math.min(1, centre + half)),
  };
}
