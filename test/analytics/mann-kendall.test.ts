import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mannKendall, SEN_EXACT_MAX_POINTS, senSlope } from '../../src/analytics/mann-kendall.ts';

// Gilbert (1987) Examples 16.1–16.3 could not be reconstructed exactly here, so
// the references are a published by-hand example and small examples worked in full below.

describe('mannKendall', () => {
  it('matches the published by-hand example of J. Little (College of the Holy Cross)', () => {
    // https://mathcs.holycross.edu/~little/Montserrat/MannKendallByHand.txt — 14 values,
    // 91 pairs: 72 increases, 18 decreases, 1 tie (12.9 twice) → S = 72 − 18 = 54;
    // V = [14·13·33 − 2·1·9]/18 = (6006 − 18)/18 = 332.667; Z = (54 − 1)/√332.667 = 2.9058;
    // the page's p ≈ .0018 is one-sided, so the two-sided p is ≈ 0.0037.
    const y = [12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7];
    const r = mannKendall(y);
    expect(r.s).toBe(54);
    expect(r.varS).toBeCloseTo(5988 / 18, 12);
    expect(r.z).toBeCloseTo(2.9058, 4);
    expect(r.pValue).toBeCloseTo(2 * 0.0018, 3);
    // tau-b = S/√(n₀(n₀ − n₁)) = 54/√(91·90) = 54/90.499 = 0.59669
    expect(r.tau).toBeCloseTo(54 / Math.sqrt(91 * 90), 14);
  });

  it('matches a small example with two tie groups worked by hand', () => {
    // y = 1, 3, 2, 3, 5, 5 (n = 6, n₀ = 15 pairs). sign(y_j − y_i) for each i, over j > i:
    //   i=1 (1): 3 +, 2 +, 3 +, 5 +, 5 +           → +5
    //   i=2 (3): 2 −, 3 0, 5 +, 5 +                → +1
    //   i=3 (2): 3 +, 5 +, 5 +                     → +3
    //   i=4 (3): 5 +, 5 +                          → +2
    //   i=5 (5): 5 0                               →  0
    // 12 increases, 1 decrease, 2 ties → S = 11.
    // Tie groups: {3, 3} and {5, 5}, t = 2 each, t(t−1)(2t+5) = 2·1·9 = 18.
    // Var(S) = [6·5·17 − 18 − 18]/18 = (510 − 36)/18 = 474/18 = 26.333
    // Z = (11 − 1)/√26.333 = 10/5.1316 = 1.9487; normal table Φ(1.95) = 0.9744 → p ≈ 2·0.0256 = 0.0513
    // tau-b: n₁ = 1 + 1 tied pairs → 11/√(15·13) = 11/13.964 = 0.78773
    const r = mannKendall([1, 3, 2, 3, 5, 5]);
    expect(r.s).toBe(11);
    expect(r.varS).toBeCloseTo(474 / 18, 12);
    expect(r.z).toBeCloseTo(1.9487, 4);
    expect(r.pValue).toBeCloseTo(0.0513, 4);
    expect(r.tau).toBeCloseTo(0.78773, 5);
  });

  it('gives tau = 1 and S = n(n−1)/2 for a strictly increasing series', () => {
    // n = 5: S = 10, Var(S) = 5·4·15/18 = 16.667, Z = 9/4.0825 = 2.2045, p = 0.0275
    const r = mannKendall([1, 2, 3, 4, 5]);
    expect(r).toMatchObject({ s: 10, tau: 1 });
    expect(r.z).toBeCloseTo(2.2045, 4);
    expect(r.pValue).toBeCloseTo(0.0275, 4);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 60 }),
        (v) => {
          const sorted = [...new Set(v)].sort((a, b) => a - b);
          fc.pre(sorted.length >= 3);
          const n = sorted.length;
          const up = mannKendall(sorted);
          expect(up.s).toBe((n * (n - 1)) / 2);
          expect(up.tau).toBeCloseTo(1, 14);
        },
      ),
    );
  });

  it('negates S, z and tau when the series is reversed, keeping the p-value', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 3, maxLength: 50 }), (v) => {
        fc.pre(new Set(v).size >= 2);
        const a = mannKendall(v);
        const b = mannKendall([...v].reverse());
        expect(b.s + a.s).toBe(0);
        expect(b.z).toBeCloseTo(-a.z, 12);
        expect(b.tau).toBeCloseTo(-a.tau, 12);
        expect(b.pValue).toBeCloseTo(a.pValue, 12);
      }),
    );
  });

  it('agrees with the definition S = Σ sign(y_j − y_i) on series with many ties', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 3, maxLength: 80 }), (v) => {
        let s = 0;
        for (let i = 0; i < v.length; i++)
          for (let j = i + 1; j < v.length; j++) s += Math.sign(v[j]! - v[i]!);
        expect(mannKendall(v).s).toBe(s);
      }),
    );
  });

  it('reports no trend for a constant series: S = 0, Var(S) = 0, z = 0, p = 1, tau NaN', () => {
    const r = mannKendall([4, 4, 4, 4]);
    expect(r).toMatchObject({ s: 0, varS: 0, z: 0, pValue: 1 });
    expect(r.tau).toBeNaN();
  });

  it('refuses too little or non-finite data', () => {
    expect(() => mannKendall([1, 2])).toThrow(RangeError);
    expect(() => mannKendall([1, Number.NaN, 3])).toThrow(RangeError);
  });
});

describe('senSlope', () => {
  it('is the median of pairwise slopes (hand-worked, even count)', () => {
    // x = 1..5, y = 2, 4, 3, 7, 6. Slopes (y_j − y_i)/(j − i):
    //   (1,2) 2/1 = 2    (1,3) 1/2 = 0.5   (1,4) 5/3 = 1.667  (1,5) 4/4 = 1
    //   (2,3) −1/1 = −1  (2,4) 3/2 = 1.5   (2,5) 2/3 = 0.667
    //   (3,4) 4/1 = 4    (3,5) 3/2 = 1.5
    //   (4,5) −1/1 = −1
    // Sorted: −1, −1, 0.5, 0.667, 1, 1.5, 1.5, 1.667, 2, 4 → median (1 + 1.5)/2 = 1.25
    expect(senSlope([1, 2, 3, 4, 5], [2, 4, 3, 7, 6])).toBe(1.25);
  });

  it('skips pairs with equal x (hand-worked, odd count)', () => {
    // x = 0, 1, 1, 3; y = 0, 2, 1, 3. Pairs: (0,1) 2, (0,1′) 1, (0,3) 1, (1,1′) skipped,
    // (1,3) 1/2 = 0.5, (1′,3) 2/2 = 1 → 0.5, 1, 1, 1, 2 → median 1
    expect(senSlope([0, 1, 1, 3], [0, 2, 1, 3])).toBe(1);
  });

  it('ignores an outlier that drags least squares', () => {
    // y = 2x exactly except one wild point: 13 of the 15 pairwise slopes are still exactly 2.
    expect(senSlope([0, 1, 2, 3, 4, 5], [0, 2, 4, 600, 8, 10])).toBe(2);
  });

  it('stays within a small rank error of the exact median when it samples pairs (n > 2000)', () => {
    const n = SEN_EXACT_MAX_POINTS + 500;
    const x = Array.from({ length: n }, (_, i) => i);
    const y = x.map((i) => 0.05 * i + ((Math.sin(i * 12.9898) * 43758.5453) % 20));
    const estimate = senSlope(x, y);
    expect(senSlope(x, y)).toBe(estimate); // deterministic
    let below = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        total++;
        if ((y[j]! - y[i]!) / (j - i) < estimate) below++;
      }
    }
    expect(Math.abs(below / total - 0.5)).toBeLessThan(0.002);
  });

  it('refuses data without two distinct x', () => {
    expect(() => senSlope([1, 1, 1], [1, 2, 3])).toThrow(RangeError);
    expect(() => senSlope([1], [1])).toThrow(RangeError);
    expect(() => senSlope([1, 2], [1])).toThrow(RangeError);
  });
});
