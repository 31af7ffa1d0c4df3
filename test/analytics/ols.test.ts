import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ols } from '../../src/analytics/ols.ts';

// NIST StRD, linear least squares, "Norris" (lower difficulty): 36 points,
// certified values computed by NIST in 500-digit arithmetic.
const NIST = '../../../shared/reference/nist_strd/linear_regression/';

interface Certified {
  readonly slope: number;
  readonly intercept: number;
  readonly slope_sd: number;
  readonly intercept_sd: number;
  readonly residual_sd: number;
  readonly r_squared: number;
}

function readNorris(): { x: number[]; y: number[]; cert: Certified } {
  const csv = readFileSync(new URL(`${NIST}Norris.csv`, import.meta.url), 'utf8')
    .trim()
    .split('\n');
  const x: number[] = [];
  const y: number[] = [];
  for (const line of csv.slice(1)) {
    const [yi, xi] = line.split(',').map(Number);
    y.push(yi!);
    x.push(xi!);
  }
  const json = JSON.parse(readFileSync(new URL(`${NIST}Norris.certified.json`, import.meta.url), 'utf8')) as {
    certified: Certified;
  };
  return { x, y, cert: json.certified };
}

/** NIST's log relative error, LRE = −log10(|a − c| / |c|): the number of correct significant digits (capped at 15). */
function lre(actual: number, certified: number): number {
  if (actual === certified) return 15;
  return Math.min(15, -Math.log10(Math.abs(actual - certified) / Math.abs(certified)));
}

function expectSignificantDigits(actual: number, certified: number, digits: number): void {
  expect(lre(actual, certified), `${actual} vs certified ${certified}`).toBeGreaterThanOrEqual(digits);
}

describe('ols', () => {
  it('reproduces the NIST StRD certified values for Norris to at least 9 significant digits', () => {
    const { x, y, cert } = readNorris();
    const fit = ols(x, y);
    expect(fit.n).toBe(36);
    expectSignificantDigits(fit.slope, cert.slope, 9);
    expectSignificantDigits(fit.intercept, cert.intercept, 9);
    expectSignificantDigits(fit.slopeStdErr, cert.slope_sd, 9);
    expectSignificantDigits(fit.interceptStdErr, cert.intercept_sd, 9);
    expectSignificantDigits(fit.residualStdErr, cert.residual_sd, 9);
    expectSignificantDigits(fit.rSquared, cert.r_squared, 9);
  });

  it('keeps 9 digits on Norris with x shifted by 1e9 and y by 1e7 (badly scaled)', () => {
    const { x, y, cert } = readNorris();
    const fit = ols(
      x.map((e) => e + 1e9),
      y.map((e) => e + 1e7),
    );
    expectSignificantDigits(fit.slope, cert.slope, 9);
    // x + 1e9 is stored to within 6e-8 (half an ulp), which moves the residuals by
    // ~1e-8 of themselves: the *data* now has a residual SD 1e-8 away from NIST's.
    // Against the exact least-squares fit of these very doubles (rational arithmetic,
    // Python fractions, 40 digits) the algorithm itself must still give ≥ 12 digits.
    expectSignificantDigits(fit.slopeStdErr, cert.slope_sd, 7);
    expectSignificantDigits(fit.residualStdErr, cert.residual_sd, 7);
    /* eslint-disable no-loss-of-precision -- the 40-digit references, as computed (rounded to doubles) */
    expectSignificantDigits(fit.slope, 1.002116818034604946, 12);
    expectSignificantDigits(fit.slopeStdErr, 0.000429796852706109503, 12);
    expectSignificantDigits(fit.residualStdErr, 0.8847964054086009817, 12);
    expectSignificantDigits(fit.rSquared, 0.9999937458835807609, 12);
    /* eslint-enable no-loss-of-precision */
  });

  it('fits epoch-millisecond x against y = 1e7 + small noise (NumAcc4-like) as well as the centred problem', () => {
    // Daily points from 2024-01-01; y = 10000000.2 ± 0.1 (NumAcc4's values) plus 0.01 per day.
    const day = 86_400_000;
    const noise = [0, 0.1, -0.1, 0.1, -0.1, 0.1, -0.1, 0.1, -0.1, 0];
    const days = noise.map((_, i) => i);
    const small = ols(
      days,
      noise.map((e, i) => 0.2 + e + 0.01 * i),
    );
    const big = ols(
      days.map((d) => 1_704_067_200_000 + d * day),
      noise.map((e, i) => 10000000.2 + e + 0.01 * i),
    );
    // 1e7 + 0.1 carries ~1e-9 of representation error, so expect ~8 digits, not 15.
    expectSignificantDigits(big.slope * day, small.slope, 7);
    expectSignificantDigits(big.slopeStdErr * day, small.slopeStdErr, 7);
    expectSignificantDigits(big.rSquared, small.rSquared, 7);
  });

  it('matches a hand-worked four-point example', () => {
    // x = 1,2,3,4; y = 2,4,5,8.  x̄ = 2.5, ȳ = 4.75.
    // x − x̄ = −1.5, −0.5, 0.5, 1.5 → Sxx = 2.25+0.25+0.25+2.25 = 5
    // y − ȳ = −2.75, −0.75, 0.25, 3.25 → Sxy = 4.125+0.375+0.125+4.875 = 9.5,
    //   SST = 7.5625+0.5625+0.0625+10.5625 = 18.75
    // slope = 9.5/5 = 1.9; intercept = 4.75 − 1.9·2.5 = 0
    // residuals y − 1.9x = 0.1, 0.2, −0.7, 0.4 → SSE = 0.01+0.04+0.49+0.16 = 0.70
    // s² = 0.70/2 = 0.35; SE(slope) = √(0.35/5) = √0.07
    // SE(intercept) = √(0.35·(1/4 + 2.5²/5)) = √(0.35·1.5) = √0.525
    // R² = 1 − 0.70/18.75 = 0.962666…;  t² = 1.9²/0.07 = 51.571…, df = 2
    // For df = 2 the two-sided p is 1 − t/√(t² + 2) = 1 − √(51.571/53.571) = 1 − √R² = 0.018844…
    const fit = ols([1, 2, 3, 4], [2, 4, 5, 8]);
    expect(fit.slope).toBeCloseTo(1.9, 14);
    expect(fit.intercept).toBeCloseTo(0, 14);
    expect(fit.residualStdErr).toBeCloseTo(Math.sqrt(0.35), 14);
    expect(fit.slopeStdErr).toBeCloseTo(Math.sqrt(0.07), 14);
    expect(fit.interceptStdErr).toBeCloseTo(Math.sqrt(0.525), 14);
    expect(fit.rSquared).toBeCloseTo(1 - 0.7 / 18.75, 14);
    expect(fit.pValue).toBeCloseTo(1 - Math.sqrt(1 - 0.7 / 18.75), 12);
    expect(fit.pValue).toBeCloseTo(0.018844, 6);
  });

  it('gives the exact line through two points, with NaN wherever residual degrees of freedom are needed', () => {
    const fit = ols([1, 3], [10, 4]);
    expect(fit).toMatchObject({ n: 2, slope: -3, intercept: 13, rSquared: 1 });
    for (const k of ['slopeStdErr', 'interceptStdErr', 'residualStdErr', 'pValue'] as const)
      expect(fit[k]).toBeNaN();
  });

  it('fits a flat line to constant y, with R² and p-value NaN (0/0)', () => {
    const fit = ols([1, 2, 3, 5], [0.1, 0.1, 0.1, 0.1]);
    expect(fit).toMatchObject({ slope: 0, intercept: 0.1, slopeStdErr: 0, residualStdErr: 0 });
    expect(fit.rSquared).toBeNaN();
    expect(fit.pValue).toBeNaN();
  });

  it('reports an exact non-flat line with zero standard errors and p = 0', () => {
    const fit = ols([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(fit).toMatchObject({ slope: 2, intercept: 1, slopeStdErr: 0, rSquared: 1, pValue: 0 });
  });

  it('refuses input it cannot fit', () => {
    expect(() => ols([1], [1])).toThrow(RangeError);
    expect(() => ols([1, 2], [1])).toThrow(RangeError);
    expect(() => ols([2, 2, 2], [1, 2, 3])).toThrow(/distinct x/);
    expect(() => ols([1, 2, Number.NaN], [1, 2, 3])).toThrow(RangeError);
    expect(() => ols([1, 2, 3], [1, Number.POSITIVE_INFINITY, 3])).toThrow(RangeError);
  });
});

describe('ols invariances (property-based)', () => {
  /** 3–40 points, integer x in ±1000 with at least two distinct values, non-constant y (no subnormals, which c·y would flush to 0). */
  const yValue = fc
    .double({ min: -1e3, max: 1e3, noNaN: true })
    .filter((v) => v === 0 || Math.abs(v) > 1e-200);
  const points = fc
    .array(fc.tuple(fc.integer({ min: -1000, max: 1000 }), yValue), { minLength: 3, maxLength: 40 })
    .filter((p) => new Set(p.map(([x]) => x)).size >= 2 && new Set(p.map(([, y]) => y)).size >= 2);

  /** √(Σ(v − v̄)²): the natural size against which near-zero results are judged. */
  function spread(v: readonly number[]): number {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0));
  }

  /** |actual − expected| ≤ tol·(|expected| + scale). */
  function close(actual: number, expected: number, scale: number, tol = 1e-9): void {
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * (Math.abs(expected) + scale));
  }

  it('scaling y by c scales slope, intercept and standard errors by c, and leaves R² and p unchanged', () => {
    fc.assert(
      fc.property(
        points,
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        fc.boolean(),
        (p, magnitude, negative) => {
          const c = negative ? -magnitude : magnitude;
          const x = p.map(([xi]) => xi);
          const y = p.map(([, yi]) => yi);
          const a = ols(x, y);
          const b = ols(
            x,
            y.map((e) => c * e),
          );
          const ySize = Math.abs(c) * (spread(y) + Math.max(...y.map(Math.abs)));
          const slopeSize = ySize / spread(x);
          close(b.slope, c * a.slope, slopeSize);
          close(b.intercept, c * a.intercept, slopeSize * Math.max(...x.map(Math.abs)) + ySize);
          close(b.slopeStdErr, Math.abs(c) * a.slopeStdErr, slopeSize);
          close(
            b.interceptStdErr,
            Math.abs(c) * a.interceptStdErr,
            slopeSize * Math.max(...x.map(Math.abs)) + ySize,
          );
          close(b.residualStdErr, Math.abs(c) * a.residualStdErr, ySize);
          // c·y rounds each value by ε of its own size, which moves the deviations from the mean by
          // up to ε·max|y|: R² and p, ratios of sums of n squared deviations, then move by up to
          // about 4n·ε·max|y|/spread(y) besides the usual tolerance (y nearly constant next to its
          // size, e.g. 999.99993, 999.99999, 999.99999, gives 1.6e-9).
          const roundOff = (4 * y.length * Number.EPSILON * Math.max(...y.map(Math.abs))) / spread(y);
          close(b.rSquared, a.rSquared, 1 + roundOff / 1e-9);
          close(b.pValue, a.pValue, 1 + roundOff / 1e-9);
        },
      ),
    );
  });

  it('shifting x by d leaves the slope, its standard error and R² unchanged', () => {
    fc.assert(
      fc.property(points, fc.double({ min: -1e6, max: 1e6, noNaN: true }), (p, d) => {
        const x = p.map(([xi]) => xi);
        const y = p.map(([, yi]) => yi);
        const a = ols(x, y);
        const b = ols(
          x.map((e) => e + d),
          y,
        );
        const slopeSize = (spread(y) + Math.max(...y.map(Math.abs))) / spread(x);
        close(b.slope, a.slope, slopeSize, 1e-8);
        close(b.slopeStdErr, a.slopeStdErr, slopeSize, 1e-8);
        close(b.rSquared, a.rSquared, 1, 1e-8);
      }),
    );
  });

  it('never returns NaN for slope or intercept when there are two distinct x values', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(finite, finite), { minLength: 2, maxLength: 20 }), (p) => {
        fc.pre(new Set(p.map(([x]) => x)).size >= 2);
        const fit = ols(
          p.map(([x]) => x),
          p.map(([, y]) => y),
        );
        expect(fit.slope).not.toBeNaN(); // may overflow to ±∞ when the true slope exceeds the double range
        expect(fit.intercept).not.toBeNaN();
      }),
    );
    // With x on an integer grid and |y| ≤ 1e100 they are also finite.
    const grid = fc.integer({ min: -1e6, max: 1e6 });
    const moderate = fc.double({ min: -1e100, max: 1e100, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(grid, moderate), { minLength: 2, maxLength: 20 }), (p) => {
        fc.pre(new Set(p.map(([x]) => x)).size >= 2);
        const fit = ols(
          p.map(([x]) => x),
          p.map(([, y]) => y),
        );
        expect(Number.isFinite(fit.slope)).toBe(true);
        expect(Number.isFinite(fit.intercept)).toBe(true);
      }),
    );
  });
});
