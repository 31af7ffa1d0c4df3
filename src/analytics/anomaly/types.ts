/**
 * Shapes shared by the anomaly detectors (`anomalies`, `anomalyEvents`, ANOMALY alert rules), the severity rule, and
 * the argument checks every detector makes. Pure: numbers in, numbers out.
 */

type Direction = 'UP' | 'DOWN';
export type Severity = 'INFO' | 'WARNING' | 'CRITICAL';

/** One flagged point. Detectors return only points with `score > sensitivity`. */
export interface AnomalyPoint {
  /** Position in the input series (or row index for the multivariate detector). */
  readonly index: number;
  readonly value: number;
  readonly expected: number;
  /** expected − sensitivity·scale. */
  readonly lower: number;
  /** expected + sensitivity·scale. */
  readonly upper: number;
  /** |value − expected| / robust scale: distance from the expectation in robust standard deviations. */
  readonly score: number;
  readonly direction: Direction;
}

/** Half-width of the band in robust SDs; 3 flags ~0.27 % of Gaussian noise. */
export const DEFAULT_SENSITIVITY = 3;

/** CRITICAL starts at this multiple of the sensitivity. */
const CRITICAL_FACTOR = 1.5;

/**
 * Severity of a score. Rule: score < sensitivity → 'INFO' (a near miss, never
 * produced by the detectors, which return only flagged points; callers may use
 * it for scores they compute themselves); sensitivity ≤ score < 1.5·sensitivity
 * → 'WARNING'; score ≥ 1.5·sensitivity → 'CRITICAL'.
 * @throws RangeError when score is NaN or sensitivity is not a positive finite number
 * @example severityOf(3.5) // 'WARNING' (default sensitivity 3); severityOf(4.5) // 'CRITICAL'
 * @complexity O(1)
 */
export function severityOf(score: number, sensitivity: number = DEFAULT_SENSITIVITY): Severity {
  checkSensitivity(sensitivity);
  if (Number.isNaN(score)) throw new RangeError('severityOf needs a score, got NaN');
  if (score < sensitivity) return 'INFO';
  return score >= CRITICAL_FACTOR * sensitivity ? 'CRITICAL' : 'WARNING';
}

/** @throws RangeError unless 0 < sensitivity < ∞ */
export function checkSensitivity(sensitivity: number): void {
  if (!(sensitivity > 0 && Number.isFinite(sensitivity))) {
    throw new RangeError(`sensitivity must be a positive finite number of robust SDs (got ${sensitivity})`);
  }
}

/** @throws RangeError unless value is an integer ≥ min */
export function checkInteger(name: string, value: number, min: number): void {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new RangeError(`${name} must be an integer ≥ ${min} (got ${value})`);
  }
}

/** @throws RangeError when some value is NaN or ±Infinity */
export function checkFinite(values: readonly number[], what = 'series'): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]))
      throw new RangeError(`${what} must hold finite numbers (index ${i} is ${values[i]})`);
  }
}

/**
 * The flagged point for (value, expected, scale), or null when it is inside the
 * band or the scale is zero (nothing can be measured against a zero scale).
 */
export function flagPoint(
  index: number,
  value: number,
  expected: number,
  scale: number,
  sensitivity: number,
): AnomalyPoint | null {
  if (!(scale > 0)) return null;
  const score = Math.abs(value - expected) / scale;
  if (!(score > sensitivity) || !Number.isFinite(score)) return null;
  const half = sensitivity * scale;
  return {
    index,
    value,
    expected,
    lower: expected - half,
    upper: expected + half,
    score,
    direction: value > expected ? 'UP' : 'DOWN',
  };
}
