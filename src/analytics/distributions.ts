/* eslint-disable no-loss-of-precision -- published coefficient tables, kept exactly as printed */
/**
 * Probability distributions the analytics need: normal and Student's t
 * (CDFs, two-sided p-values, quantiles), built on the regularized incomplete
 * beta function. Pure functions, numbers in, numbers out.
 */

/**
 * Complementary error function, |relative error| < 1.2e-7 everywhere
 * (Numerical Recipes' erfcc, Chebyshev fit); refined below for the normal CDF.
 */
function erfcCheb(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * Standard normal CDF Φ(x), accurate to ~1e-15 (W. J. Cody's rational
 * approximations, as in R's pnorm, via the identity Φ(x) = erfc(−x/√2)/2).
 * @example normalCdf(1.959963984540054) // ≈ 0.975
 * @complexity O(1)
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** erfc via Cody (1969) rational Chebyshev approximations; relative error < 1e-15. */
function erfc(x: number): number {
  const ax = Math.abs(x);
  if (ax < 0.5) return 1 - erf(x);
  let r: number;
  if (ax < 4) {
    const p = [
      3.004592610201616e2, 4.519189537118729e2, 3.393208167343437e2, 1.529892850469404e2, 4.316222722205674e1,
      7.211758250883094, 5.64195517478974e-1, -1.368648573827167e-7,
    ];
    const q = [
      3.004592609569833e2, 7.90950925327898e2, 9.313540948506096e2, 6.389802644656312e2, 2.775854447439876e2,
      7.700015293522947e1, 1.278272731962942e1, 1,
    ];
    let num = 0;
    let den = 0;
    for (let i = 7; i >= 0; i--) {
      num = num * ax + p[i]!;
      den = den * ax + q[i]!;
    }
    r = Math.exp(-ax * ax) * (num / den);
  } else {
    const p = [
      -2.99610707703542174e-3, -4.94730910623250734e-2, -2.2695659353968693e-1, -2.78661308609647788e-1,
      -2.23192459734184686e-2,
    ];
    const q = [1.06209230528467918e-2, 1.91308926107829841e-1, 1.05167510706793207, 1.98733201817135256, 1];
    const z = 1 / (ax * ax);
    let num = 0;
    let den = 0;
    for (let i = 4; i >= 0; i--) {
      num = num * z + p[i]!;
      den = den * z + q[i]!;
    }
    r = (Math.exp(-ax * ax) / ax) * (1 / Math.sqrt(Math.PI) + z * (num / den));
  }
  if (!Number.isFinite(r)) r = erfcCheb(ax);
  return x >= 0 ? r : 2 - r;
}

/** erf for |x| < 0.5 by its Taylor series (converges fast there); erfc otherwise. */
export function erf(x: number): number {
  if (Math.abs(x) >= 0.5) return x >= 0 ? 1 - erfc(x) : erfc(-x) - 1;
  let term = x;
  let sum = x;
  const x2 = x * x;
  for (let n = 1; n < 60; n++) {
    term *= -x2 / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/**
 * Inverse standard normal CDF (Wichura's AS 241, PPND16), accurate to ~1e-16.
 * @throws RangeError when p is outside (0, 1)
 * @example normalQuantile(0.975) // ≈ 1.959963984540054
 */
/* eslint-disable max-lines-per-function -- AS 241's coefficient table exactly as published (more digits than a double keeps) */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1 (got ${p})`);
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    x =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -x : x;
}
/* eslint-enable max-lines-per-function */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for the incomplete beta (modified Lentz; Numerical Recipes betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b).
 * @throws RangeError when x is outside [0, 1] or a, b ≤ 0
 * @complexity O(√max(a, b)) continued-fraction terms
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1) || !(a > 0) || !(b > 0))
    throw new RangeError(`incompleteBeta needs 0 ≤ x ≤ 1 and a, b > 0 (got x=${x}, a=${a}, b=${b})`);
  if (x === 0 || x === 1) return x;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(lnFront);
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/**
 * Student's t CDF with `df` degrees of freedom (df may be fractional, as in Welch's test).
 * @throws RangeError when df ≤ 0
 * @example studentTCdf(2.228138851986274, 10) // ≈ 0.975
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCdf needs df > 0 (got ${df})`);
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/**
 * Two-sided p-value of a t statistic: P(|T| ≥ |t|). Computed from the tail
 * directly, so tiny p-values keep their precision.
 * @example twoSidedTPValue(2.228138851986274, 10) // ≈ 0.05
 */
export function twoSidedTPValue(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`twoSidedTPValue needs df > 0 (got ${df})`);
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|). */
export function twoSidedNormalPValue(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/**
 * Quantile of Student's t: the t with P(T ≤ t) = p (Newton's method from
 * the normal quantile, falling back to bisection).
 * @throws RangeError when p is outside (0, 1) or df ≤ 0
 * @example studentTQuantile(0.975, 10) // ≈ 2.228138851986274
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile needs 0 < p < 1 (got ${p})`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile needs df > 0 (got ${df})`);
  if (p === 0.5) return 0;
  // Bracket, then bisect with Newton steps where they stay inside the bracket.
  let lo = -1;
  let hi = 1;
  while (studentTCdf(lo, df) > p) lo *= 2;
  while (studentTCdf(hi, df) < p) hi *= 2;
  let x = Math.min(hi, Math.max(lo, normalQuantile(p)));
  const lnC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(x, df) - p;
    if (Math.abs(f) < 1e-15) break;
    if (f > 0) hi = x;
    else lo = x;
    const density = Math.exp(lnC - ((df + 1) / 2) * Math.log1p((x * x) / df));
    let next = x - f / density;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) < 1e-15 * Math.max(1, Math.abs(x))) {
      x = next;
      break;
    }
    x = next;
  }
  return x;
}
