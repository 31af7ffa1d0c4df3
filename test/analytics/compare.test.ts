import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InsufficientSampleError, compareSamples, summarize } from '../../src/analytics/compare.ts';
import { hodgesLehmann, mannWhitneyNullCounts, mannWhitneyU } from '../../src/analytics/mann-whitney.ts';
import { kthPairwiseDifference, pairwiseDifferenceMedian } from '../../src/analytics/pairwise-differences.ts';
import { welchFromSummaries, welchTTest } from '../../src/analytics/welch.ts';

// Hollander & Wolfe (1973), p. 69, the example of R's ?wilcox.test: permeability constants of the human
// chorioamnion at term (x) and at 12–26 weeks (y). R: wilcox.test(x, y, alternative = "g") → W = 35,
// p-value = 0.1272.
const TERM = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const EARLY = [1.15, 0.88, 0.9, 0.74, 1.21];

describe('Mann–Whitney U test', () => {
  it('reproduces the Hollander & Wolfe permeability example exactly', () => {
    // Ranks in the combined sample (y marked *): 0.73 1, 0.74* 2, 0.80 3, 0.83 4, 0.88* 5, 0.90* 6,
    // 1.04 7, 1.15* 8, 1.21* 9, 1.38 10, 1.45 11, 1.46 12, 1.64 13, 1.89 14, 1.91 15.
    // Rank sum of x = 90, U = 90 − 10·11/2 = 35 (and U of y = 30 − 15 = 15; 35 + 15 = mn = 50).
    // Exact null: C(15, 5) = 3003 orderings, 382 of them with U ≤ 15 (so P(U ≥ 35) = 382/3003 = 0.1272,
    // R's one-sided value); two-sided p = 2·382/3003 = 0.254412.
    const counts = mannWhitneyNullCounts(5, 10);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3003);
    expect(counts.slice(0, 16).reduce((a, b) => a + b, 0)).toBe(382);
    const r = mannWhitneyU(EARLY, TERM);
    expect(r).toEqual({ u: 35, pValue: 764 / 3003, exact: true });
  });

  it('works a small case by hand', () => {
    // baseline 1, 2, 4; candidate 3, 5, 6 → ranks of the candidate 3, 5, 6, sum 14, U = 14 − 6 = 8.
    // Null counts for m = n = 3 (U = 0 … 9): 1 1 2 3 3 3 3 2 1 1 (C(6, 3) = 20).
    // P(U ≥ 8) = 2/20, two-sided p = 0.2.
    expect(mannWhitneyNullCounts(3, 3)).toEqual([1, 1, 2, 3, 3, 3, 3, 2, 1, 1]);
    expect(mannWhitneyU([1, 2, 4], [3, 5, 6])).toEqual({ u: 8, pValue: 0.2, exact: true });
  });

  it('uses the normal approximation with tie and continuity corrections, as R does', () => {
    // R's wilcox.test(x, y) on tied data, output as printed at endmemo.com/r/wilcoxon.php:
    // x = 1 5 9 24 56 21 3 7 21 4, y = 12 15 5 9 9 14 56 22 3 7 32 5 → W = 51.5, p-value = 0.5966;
    // y = 1233 4356 987 39999 1111 200000 → W = 0, p-value = 0.001364.
    const x = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4];
    const a = mannWhitneyU([12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5], x);
    expect(a.u).toBe(51.5);
    expect(a.exact).toBe(false);
    expect(a.pValue).toBeCloseTo(0.5966, 4);
    const b = mannWhitneyU([1233, 4356, 987, 39999, 1111, 200000], x);
    expect(b.u).toBe(0);
    expect(b.pValue).toBeCloseTo(0.001364, 6);
  });

  it('gives p = 1 when every value is the same', () => {
    expect(mannWhitneyU([3, 3], [3, 3, 3]).pValue).toBe(1);
  });
});

describe('Hodges–Lehmann shift and its interval', () => {
  it('works a small case by hand', () => {
    // candidate − baseline for baseline 1, 2, 4 and candidate 3, 5, 6:
    // 3−1=2 3−2=1 3−4=−1 5−1=4 5−2=3 5−4=1 6−1=5 6−2=4 6−4=2 → sorted −1 1 1 2 2 3 4 4 5, median 2.
    // 70 % interval: α/2 = 0.15; P(U ≤ 0) = 1/20, P(U ≤ 1) = 2/20 < 0.15, P(U ≤ 2) = 4/20 ≥ 0.15,
    // so K − 1 = 1, K = 2: [D(2), D(8)] = [1, 4] (true coverage 1 − 2·0.1 = 0.8).
    expect(hodgesLehmann([1, 2, 4], [3, 5, 6], 0.7)).toEqual({ estimate: 2, lower: 1, upper: 4 });
    // At 90 %, α/2 = 0.05 and P(U ≤ 0) = 0.05 is not below it: K = 1, the full range.
    expect(hodgesLehmann([1, 2, 4], [3, 5, 6], 0.9)).toEqual({ estimate: 2, lower: -1, upper: 5 });
  });

  it('gives the exact interval for the Hollander & Wolfe example', () => {
    // The 50 differences term − early, sorted (2 d.p.): −0.48 −0.42 −0.41 −0.38 −0.35 −0.32 −0.17 −0.17
    // −0.15 −0.11 −0.10 −0.08 −0.07 −0.05 −0.01 0.06 0.09 0.14 0.16 0.17 0.23 0.24 0.25 0.30 0.30 0.31
    // 0.43 0.48 0.49 0.50 0.55 0.56 0.57 0.58 0.64 0.68 0.70 0.71 0.72 0.74 0.74 0.76 0.76 0.90 0.99
    // 1.01 1.01 1.03 1.15 1.17. Median = (D(25) + D(26))/2 = (0.30 + 0.31)/2 = 0.305.
    // 95 %: P(U ≤ 8) = 60/3003 = 0.01998 < 0.025 ≤ P(U ≤ 9) = 83/3003, so K = 9: [D(9), D(42)] = [−0.15, 0.76].
    const r = hodgesLehmann(EARLY, TERM, 0.95);
    expect(r.estimate).toBeCloseTo(0.305, 12);
    expect(r.lower).toBeCloseTo(-0.15, 12);
    expect(r.upper).toBeCloseTo(0.76, 12);
    const counts = mannWhitneyNullCounts(5, 10);
    expect(counts.slice(0, 9).reduce((a, b) => a + b, 0)).toBe(60);
    expect(counts.slice(0, 10).reduce((a, b) => a + b, 0)).toBe(83);
  });

  it('uses the normal critical value beyond the exact range', () => {
    // baseline 1 … 25, candidate 1.5 … 25.5 (m·n = 625 > 400, no ties). Differences are k + 0.5 for
    // k = −24 … 24 with multiplicity 25 − |k|. σ_U = √(625·51/12) = 51.5388, K = ⌊312.5 − 1.959964·51.5388⌋
    // = ⌊211.485⌋ = 211. Values with k ≤ −5 number 1 + … + 20 = 210, so D(211) = −4 + 0.5 = −3.5 and
    // symmetrically D(415) = 4.5; the median D(313) is at k = 0: 0.5.
    const baseline = Array.from({ length: 25 }, (_, i) => i + 1);
    const candidate = baseline.map((v) => v + 0.5);
    expect(hodgesLehmann(baseline, candidate, 0.95)).toEqual({ estimate: 0.5, lower: -3.5, upper: 4.5 });
  });

  it('selects pairwise differences like sorting them all', () => {
    const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 25 });
    fc.assert(
      fc.property(sample, sample, (b, c) => {
        const diffs = c.flatMap((y) => b.map((x) => y - x)).sort((p, q) => p - q);
        const bs = [...b].sort((p, q) => p - q);
        const cs = [...c].sort((p, q) => p - q);
        for (const k of [1, diffs.length, Math.ceil(diffs.length / 3), Math.ceil(diffs.length / 2)]) {
          expect(kthPairwiseDifference(bs, cs, k)).toBe(diffs[k - 1]);
        }
        const mid = diffs.length >> 1;
        expect(pairwiseDifferenceMedian(b, c)).toBe(
          diffs.length % 2 ? diffs[mid] : (diffs[mid - 1]! + diffs[mid]!) / 2,
        );
      }),
    );
  });
});

describe("Welch's t-test", () => {
  it('reproduces the NIST/SEMATECH e-Handbook AUTO83B example with unequal variances', () => {
    // e-Handbook §1.3.5.3: US cars n = 249, mean 20.14458, s = 6.41470 (SE of the mean 0.40652); Japanese
    // cars n = 79, mean 30.48101, s = 6.10771 (SE 0.68717). The handbook prints the pooled T = −12.62059
    // on ν = 326; its unequal-variance formulas on the same summaries give
    // SE = √(0.40652² + 0.68717²) = 0.79841, T = (20.14458 − 30.48101)/0.79841 = −12.9463 and
    // ν = 0.637459² / (0.165254²/248 + 0.472204²/78) = 136.875 (R: t.test(usmpg, jmpg) → t = −12.946, df = 136.87).
    const us = { n: 249, mean: 20.14458, stdDev: 6.4147 };
    const japan = { n: 79, mean: 30.48101, stdDev: 6.10771 };
    const r = welchFromSummaries(japan, us, 0.95);
    expect(r.stdErr).toBeCloseTo(Math.hypot(0.40652, 0.68717), 4);
    expect(r.t).toBeCloseTo(-12.9463, 4);
    expect(r.df).toBeCloseTo(136.875, 3);
    expect(r.pValue).toBeLessThan(1e-20);
    expect(r.lower).toBeCloseTo(-10.33643 - 1.97745 * 0.79841, 3);
  });

  it('works a small case by hand', () => {
    // baseline 1 2 3 4: mean 2.5, s² = 5/3; candidate 2 4 6 8: mean 5, s² = 20/3.
    // s²/n: 5/12 and 20/12; SE = √(25/12) = 1.443376; t = 2.5/1.443376 = √3 = 1.732051.
    // ν = (25/12)² / ((5/12)²/3 + (20/12)²/3) = 1875/425 = 4.411765; t(0.975; ν) = 2.677174,
    // interval 2.5 ± 2.677174·1.443376 = [−1.364167, 6.364167]; two-sided p = 0.151581.
    const r = welchTTest([1, 2, 3, 4], [2, 4, 6, 8], 0.95);
    expect(r.delta).toBe(2.5);
    expect(r.t).toBeCloseTo(Math.sqrt(3), 12);
    expect(r.df).toBeCloseTo(1875 / 425, 12);
    expect(r.pValue).toBeCloseTo(0.151581, 6);
    expect(r.lower).toBeCloseTo(-1.364167, 6);
    expect(r.upper).toBeCloseTo(6.364167, 6);
  });

  it('handles two constant samples', () => {
    expect(welchTTest([2, 2], [2, 2, 2], 0.95)).toMatchObject({ delta: 0, pValue: 1, lower: 0, upper: 0 });
    expect(welchTTest([2, 2], [3, 3], 0.95)).toMatchObject({ delta: 1, pValue: 0, lower: 1, upper: 1 });
  });
});

describe('compareSamples', () => {
  it('uses Mann–Whitney with the Hodges–Lehmann shift for AUTO', () => {
    const r = compareSamples(EARLY, TERM);
    expect(r.method).toBe('MANN_WHITNEY');
    expect(r.delta).toBeCloseTo(0.305, 12);
    expect(r.deltaPct).toBeCloseTo((0.305 / 0.9) * 100, 10); // baseline median 0.90
    expect(r.pValue).toBeCloseTo(764 / 3003, 14);
    expect(r.significant).toBe(false);
    expect(r.baseline).toEqual(summarize(EARLY));
    expect(r.candidate.median).toBeCloseTo(1.415, 12);
  });

  it('uses Welch on request, with deltaPct relative to the baseline mean', () => {
    const r = compareSamples([1, 2, 3, 4], [2, 4, 6, 8], { method: 'WELCH_T', alpha: 0.2 });
    expect(r).toMatchObject({ method: 'WELCH_T', delta: 2.5, deltaPct: 100, significant: true });
    expect(compareSamples([-1, 1], [2, 4], { method: 'WELCH_T' }).deltaPct).toBeNull();
  });

  it('summarizes with the sample standard deviation', () => {
    expect(summarize([3, 1, 2, 10])).toEqual({ n: 4, mean: 4, median: 2.5, stdDev: Math.sqrt(50 / 3) });
    expect(summarize([7]).stdDev).toBeNull();
  });

  it('names the minimum sample size when a sample is too small', () => {
    expect(() => compareSamples([1], [2, 3], { method: 'WELCH_T' })).toThrow(
      /at least 2 values in the baseline/,
    );
    expect(() => compareSamples([1, 2], [], {})).toThrow(/at least 1 value in the candidate/);
    const error = (() => {
      try {
        compareSamples([1, 2], [3], { method: 'WELCH_T' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(InsufficientSampleError);
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toMatchObject({ minimum: 2, got: 1, sample: 'candidate' });
    expect(compareSamples([1], [2]).method).toBe('MANN_WHITNEY');
    expect(() => compareSamples([1, Number.NaN], [2])).toThrow(/finite/);
  });
});

const ints = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 30 });
const methods = fc.constantFrom<'MANN_WHITNEY' | 'WELCH_T'>('MANN_WHITNEY', 'WELCH_T');

describe('compareSamples: properties', () => {
  it('negates delta and keeps p when the samples are swapped', () => {
    fc.assert(
      fc.property(ints, ints, methods, (a, b, method) => {
        const ab = compareSamples(a, b, { method });
        const ba = compareSamples(b, a, { method });
        expect(ba.delta).toBeCloseTo(-ab.delta, 9);
        expect(ba.lower).toBeCloseTo(-ab.upper, 9);
        expect(ba.pValue).toBeCloseTo(ab.pValue, 12);
      }),
    );
  });

  it('keeps p and delta when both samples are shifted', () => {
    fc.assert(
      fc.property(ints, ints, fc.integer({ min: -1e6, max: 1e6 }), methods, (a, b, s, method) => {
        const base = compareSamples(a, b, { method });
        const shifted = compareSamples(
          a.map((v) => v + s),
          b.map((v) => v + s),
          { method },
        );
        expect(shifted.delta).toBeCloseTo(base.delta, 6);
        expect(shifted.pValue).toBeCloseTo(base.pValue, 9);
      }),
    );
  });

  it('finds no difference between identical samples', () => {
    fc.assert(
      fc.property(ints, methods, (a, method) => {
        const r = compareSamples(a, [...a], { method });
        expect(r.delta).toBe(0);
        expect(r.pValue).toBeGreaterThanOrEqual(0.99);
        expect(r.significant).toBe(false);
        expect(r.lower).toBeLessThanOrEqual(0);
        expect(r.upper).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('keeps delta inside its interval and p in [0, 1]', () => {
    fc.assert(
      fc.property(ints, ints, methods, (a, b, method) => {
        const r = compareSamples(a, b, { method });
        expect(r.lower).toBeLessThanOrEqual(r.delta);
        expect(r.delta).toBeLessThanOrEqual(r.upper);
        expect(r.pValue >= 0 && r.pValue <= 1).toBe(true);
      }),
    );
  });
});
