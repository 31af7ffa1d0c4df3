/**
 * Ordinary least squares for one predictor: y = intercept + slope·x.
 * Pure function, numbers in, numbers out.
 */
import { twoSidedTPValue } from './distributions.ts';

/** A straight-line least-squares fit and its classical inference. */
export interface OlsFit {
  /** Number of points. */
  readonly n: number;
  readonly slope: number;
  /** Value of the line at x = 0 (far from the data when x is, say, epoch milliseconds). */
  readonly intercept: number;
  /** Standard error of the slope; NaN when n = 2 (no residual degrees of freedom). */
  readonly slopeStdErr: number;
  /** Standard error of the intercept; NaN when n = 2. */
  readonly interceptStdErr: number;
  /** 1 − SSE/SST; NaN when y is constant (SST = 0, so R² is 0/0). */
  readonly rSquared: number;
  /** √(SSE / (n − 2)); NaN when n = 2. */
  readonly residualStdErr: number;
  /** Two-sided t-test of slope = 0 with n − 2 df; NaN when n = 2 or y is constant, 0 for an exact non-flat line. */
  readonly pValue: number;
}

/** Neumaier's compensated sum of f(i) for i in [0, n): error O(ε) independent of n. */
function compensatedSum(n: number, f: (i: number) => number): number {
  let sum = 0;
  let carry = 0;
  for (let i = 0; i < n; i++) {
    const v = f(i);
    const t = sum + v;
    carry += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + carry;
}

/** Mean by a compensated sum, refined by a second pass over the residuals (x − mean). */
function accurateMean(v: readonly number[]): number {
  const n = v.length;
  const first = compensatedSum(n, (i) => v[i]!) / n;
  return first + compensatedSum(n, (i) => v[i]! - first) / n;
}

/** A power of two near max |v| (1 if all zero), so that v / scale is exact and of order 1. */
function powerOfTwoScale(v: readonly number[]): number {
  let max = 0;
  for (const e of v) max = Math.max(max, Math.abs(e));
  // log2 rounds to 1024 near Number.MAX_VALUE, and 2^1024 is ∞: clamp.
  return max > 0 ? 2 ** Math.min(1023, Math.floor(Math.log2(max))) : 1;
}

function allEqual(v: readonly number[]): boolean {
  return v.every((e) => e === v[0]);
}

/**
 * Ordinary least squares line y = intercept + slope·x (textbook OLS via
 * centred sums of squares, e.g. Draper & Smith, "Applied Regression
 * Analysis", ch. 1), with the two-sided t-test of slope = 0 on n − 2 df.
 *
 * Numerics: x and y are scaled by powers of two (exact; no overflow or
 * underflow at any magnitude) and centred on accurately computed means
 * (compensated sum plus a correction pass) before any product is formed;
 * SSE is summed from the residuals themselves, not as SST − slope·Sxy. This
 * reproduces the NIST StRD certified values for Norris to ≥ 13 significant
 * digits and stays accurate when x is epoch milliseconds (~1.7e12) or y is
 * 1e7 plus small noise. Only `intercept` (an extrapolation to x = 0) and its
 * standard error lose accuracy on such data, as they must.
 *
 * Degenerate cases — never silently garbage; callers map NaN to null:
 * - n = 2: the exact line through both points; slopeStdErr, interceptStdErr,
 *   residualStdErr and pValue are NaN (no residual degrees of freedom).
 * - y constant: slope 0, intercept = that constant; rSquared NaN (0/0);
 *   standard errors 0 when n > 2; pValue NaN (t = 0/0).
 * - n > 2 and the points lie exactly on a non-flat line: standard errors 0,
 *   rSquared 1, pValue 0.
 *
 * @param x predictor values (any finite numbers, not all equal)
 * @param y responses, same length as x
 * @throws RangeError when the lengths differ, n < 2, a value is not finite,
 *   or all x are equal (the slope is undefined)
 * @example
 * ols([1, 2, 3, 4], [2, 4, 5, 8]).slope // 1.9
 * @complexity O(n) time (a handful of passes), O(n) extra memory
 */
export function ols(x: readonly number[], y: readonly number[]): OlsFit {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`ols needs x and y of equal length (got ${n} and ${y.length})`);
  if (n < 2) throw new RangeError(`ols needs at least 2 points (got ${n})`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) {
      throw new RangeError(`ols needs finite numbers (point ${i} is x=${x[i]}, y=${y[i]})`);
    }
  }
  if (allEqual(x))
    throw new RangeError(
      `ols needs at least 2 distinct x values (all x are ${x[0]}); the slope is undefined`,
    );

  // Work on u = x/sx and v = y/sy with power-of-two sx, sy: exact, and no
  // overflow or underflow in the squares, whatever the data's magnitude.
  const sx = powerOfTwoScale(x);
  const sy = powerOfTwoScale(y);
  const u = x.map((e) => e / sx);
  const v = y.map((e) => e / sy);
  const yConstant = allEqual(y);
  const meanU = accurateMean(u);
  const meanV = yConstant ? v[0]! : accurateMean(v);
  const suu = compensatedSum(n, (i) => (u[i]! - meanU) ** 2);
  if (!(suu > 0))
    throw new RangeError(
      'ols: the x values are too close together for a slope (centred sum of squares is 0)',
    );

  const suv = yConstant ? 0 : compensatedSum(n, (i) => (u[i]! - meanU) * (v[i]! - meanV));
  const svv = yConstant ? 0 : compensatedSum(n, (i) => (v[i]! - meanV) ** 2);
  const b = suv / suu; // slope in scaled units
  const slope = (b * sy) / sx;
  const intercept = sy * (meanV - b * meanU);
  const sse = yConstant ? 0 : compensatedSum(n, (i) => (v[i]! - meanV - b * (u[i]! - meanU)) ** 2);
  // Coefficient of determination, R² = 1 − SSE/SST; 0/0 for constant y.
  const rSquared = svv > 0 ? Math.max(0, 1 - sse / svv) : Number.NaN;

  const df = n - 2;
  if (df === 0) {
    return {
      n,
      slope,
      intercept,
      slopeStdErr: Number.NaN,
      interceptStdErr: Number.NaN,
      rSquared,
      residualStdErr: Number.NaN,
      pValue: Number.NaN,
    };
  }
  const s = Math.sqrt(sse / df); // residual SD in scaled units
  const seB = s / Math.sqrt(suu);
  const residualStdErr = s * sy;
  const slopeStdErr = (seB * sy) / sx;
  // SE(b0) = s·√(1/n + x̄²/Sxx)
  const interceptStdErr = s * Math.sqrt(1 / n + (meanU * meanU) / suu) * sy;
  let pValue: number;
  if (seB > 0) pValue = twoSidedTPValue(b / seB, df);
  else pValue = b === 0 ? Number.NaN : 0; // exact fit: t = ±∞, or 0/0 when y is flat
  return { n, slope, intercept, slopeStdErr, interceptStdErr, rSquared, residualStdErr, pValue };
}
