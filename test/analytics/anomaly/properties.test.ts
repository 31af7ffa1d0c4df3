import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autoAnomalies } from '../../../src/analytics/anomaly/auto.ts';
import { multivariateAnomalies } from '../../../src/analytics/anomaly/multivariate.ts';
import { robustAnomalies } from '../../../src/analytics/anomaly/robust.ts';
import { seasonalAnomalies } from '../../../src/analytics/anomaly/seasonal.ts';
import type { AnomalyPoint } from '../../../src/analytics/anomaly/types.ts';

/** Series mixing small integers (ties, constant runs) and wide-ranging doubles. */
const value = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc.double({ min: -1e9, max: 1e9, noNaN: true }),
  fc.constant(0),
);
const series = fc.array(value, { maxLength: 80 });
const rows = fc.array(fc.tuple(value, value, value), { maxLength: 40 });
const sensitivities = fc.tuple(
  fc.double({ min: 0.5, max: 8, noNaN: true }),
  fc.double({ min: 0, max: 5, noNaN: true }),
);

const detectors: readonly [string, (y: readonly number[], sensitivity?: number) => AnomalyPoint[]][] = [
  ['robustAnomalies', (y, sensitivity = 3) => robustAnomalies(y, { sensitivity, window: 12 })],
  ['seasonalAnomalies', (y, sensitivity = 3) => seasonalAnomalies(y, 4, { sensitivity })],
  ['autoAnomalies', (y, sensitivity = 3) => autoAnomalies(y, [4, 7], { sensitivity }).points],
];

const indices = (points: readonly AnomalyPoint[]): number[] => points.map((p) => p.index);
const allFinite = (points: readonly AnomalyPoint[]): boolean =>
  points.every(
    (p) =>
      [p.value, p.expected, p.lower, p.upper, p.score].every(Number.isFinite) &&
      p.lower <= p.expected &&
      p.expected <= p.upper,
  );

describe.each(detectors)('%s', (_name, detect) => {
  it('never adds flagged points when the sensitivity rises', () => {
    fc.assert(
      fc.property(series, sensitivities, (y, [low, extra]) => {
        const loose = new Set(indices(detect(y, low)));
        expect(indices(detect(y, low + extra)).every((i) => loose.has(i))).toBe(true);
      }),
    );
  });

  it('flags the same points when the series is multiplied by 1000', () => {
    fc.assert(
      fc.property(series, (y) => {
        const a = detect(y);
        const b = detect(y.map((v) => v * 1000));
        // A score within rounding of the threshold may fall on either side: allow only those.
        const nearThreshold = (p: AnomalyPoint): boolean => Math.abs(p.score - 3) < 1e-9;
        const ia = new Set(indices(a.filter((p) => !nearThreshold(p))));
        const ib = new Set(indices(b.filter((p) => !nearThreshold(p))));
        expect([...ia].every((i) => new Set(indices(b)).has(i))).toBe(true);
        expect([...ib].every((i) => new Set(indices(a)).has(i))).toBe(true);
      }),
    );
  });

  it('returns finite numbers and flags only scores above the sensitivity', () => {
    fc.assert(
      fc.property(series, (y) => {
        const points = detect(y);
        expect(allFinite(points)).toBe(true);
        expect(
          points.every((p) => p.score > 3 && p.index >= 0 && p.index < y.length && p.value === y[p.index]),
        ).toBe(true);
      }),
    );
  });
});

describe('multivariateAnomalies', () => {
  const detect = (r: readonly (readonly number[])[], sensitivity = 3): AnomalyPoint[] =>
    multivariateAnomalies(r, { sensitivity, trees: 25 });

  it('never adds flagged rows when the sensitivity rises', () => {
    fc.assert(
      fc.property(rows, sensitivities, (r, [low, extra]) => {
        const loose = new Set(indices(detect(r, low)));
        expect(indices(detect(r, low + extra)).every((i) => loose.has(i))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('flags the same rows when a column is multiplied by 1000, with finite numbers', () => {
    fc.assert(
      fc.property(rows, (r) => {
        const a = detect(r);
        expect(allFinite(a)).toBe(true);
        expect(indices(detect(r.map(([x, y, z]) => [x, y * 1000, z])))).toEqual(indices(a));
      }),
      { numRuns: 50 },
    );
  });
});
