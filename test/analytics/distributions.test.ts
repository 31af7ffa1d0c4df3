import { describe, expect, it } from 'vitest';
import {
  erf,
  incompleteBeta,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  twoSidedNormalPValue,
  twoSidedTPValue,
} from '../../src/analytics/distributions.ts';

// Reference values: Abramowitz & Stegun tables 7.1, 26.1, 26.10 and the
// t table of any statistics text (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
describe('normal distribution', () => {
  it('matches tabulated Φ and erf values', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 14);
    expect(normalCdf(-6)).toBeCloseTo(9.865876450376946e-10, 20);
    expect(erf(0.3)).toBeCloseTo(0.328626759, 9); // A&S table 7.1
    expect(erf(1)).toBeCloseTo(0.842700793, 9);
    expect(twoSidedNormalPValue(1.959963984540054)).toBeCloseTo(0.05, 14);
  });

  it('inverts Φ', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 11);
    for (const p of [0.001, 0.1, 0.3, 0.77, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('Student t distribution', () => {
  it('matches t-table critical values', () => {
    // t(0.975; df) for df 1, 2, 10, 30 and t(0.995; 5).
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174698, 10);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302652729749464, 11);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 11);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042272456301238, 11);
    expect(studentTQuantile(0.995, 5)).toBeCloseTo(4.032142983557536, 11);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228138851986274, 11);
  });

  it('gives two-sided p-values, precise far in the tail', () => {
    expect(twoSidedTPValue(2.228138851986274, 10)).toBeCloseTo(0.05, 13);
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 14); // Cauchy: 1/2 + atan(1)/π
    expect(twoSidedTPValue(50, 20)).toBeGreaterThan(0);
    expect(twoSidedTPValue(50, 20)).toBeLessThan(1e-20);
    expect(twoSidedTPValue(0, 7)).toBeCloseTo(1, 14);
  });

  it('approaches the normal for large df', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959963984540054, 5);
  });
});

describe('incomplete beta', () => {
  it('matches closed forms', () => {
    // I_x(1, b) = 1 − (1 − x)^b ; I_x(a, 1) = x^a ; I_0.5(a, a) = 0.5
    expect(incompleteBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 14);
    expect(incompleteBeta(0.6, 3, 1)).toBeCloseTo(0.6 ** 3, 14);
    expect(incompleteBeta(0.5, 7.5, 7.5)).toBeCloseTo(0.5, 14);
    expect(() => incompleteBeta(1.5, 1, 1)).toThrow(RangeError);
  });
});
