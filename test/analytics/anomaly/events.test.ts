import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { causalScores } from '../../../src/analytics/anomaly/causal.ts';
import { anomalyEvents } from '../../../src/analytics/anomaly/events.ts';
import { mulberry32 } from '../../../src/analytics/random.ts';

/** Standard normal draws (Box–Muller) from a seeded generator. */
function gaussian(seed: number, n: number): number[] {
  const u = mulberry32(seed);
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()));
}

const onsets = (y: readonly number[], options = {}) =>
  anomalyEvents(y, options)
    .points.filter((p) => p.onset)
    .map((p) => p.index);

describe('anomalyEvents', () => {
  it('turns one spike into one event whose onset, peak and end are the spike', () => {
    const y = gaussian(1, 300).map((e) => 100 + e);
    y[200] = 130;
    const { events, points } = anomalyEvents(y);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      start: 200,
      peak: 200,
      end: 200,
      direction: 'UP',
      flagged: 1,
      open: false,
    });
    expect(events[0]!.lower).toBeLessThan(100);
    expect(events[0]!.upper).toBeGreaterThan(100);
    expect(events[0]!.upper).toBeLessThan(130);
    expect(points.map((p) => [p.index, p.onset])).toEqual([[200, true]]);
  });

  it('turns a level shift into one event, then adapts to the new level and stays quiet', () => {
    const y = gaussian(2, 500).map((e, t) => (t < 250 ? 100 : 120) + e);
    const { events, points } = anomalyEvents(y);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ start: 250, direction: 'UP', open: false });
    // The rolling median has moved over within half its 30-point window (plus a few noisy points).
    expect(events[0]!.end).toBeLessThan(250 + 20);
    expect(points.filter((p) => p.onset).map((p) => p.index)).toEqual([250]);
    expect(points.every((p) => p.index >= 250 && p.index < 270)).toBe(true);
  });

  it('finds a bump that only breaks the daily rhythm, judged by the seasonal expectation', () => {
    // Amplitude 10 around 50: 55 at a trough is well inside the series' range but 15 above its phase.
    const y = gaussian(3, 24 * 12).map((e, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / 24) + 0.5 * e);
    const trough = 24 * 9 + 18;
    y[trough] = 55;
    const { events } = anomalyEvents(y, { periods: [24] });
    const bump = events.find((e) => e.start === trough);
    expect(bump).toMatchObject({ peak: trough, end: trough, direction: 'UP', period: 24 });
    // It stands far above anything the noise does (at most a borderline 3-SD point elsewhere).
    for (const e of events) if (e !== bump) expect(e.score).toBeLessThan(bump!.score / 3);
    // The plain level alone cannot see it: the rhythm swamps it.
    expect(onsets(y)).not.toContain(trough);
  });

  it('judges each point from the points before it only', () => {
    const series = fc.array(
      fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
      { minLength: 20, maxLength: 120 },
    );
    fc.assert(
      fc.property(series, fc.nat(), (y, cut) => {
        const t = 10 + (cut % (y.length - 10));
        const prefix = y.slice(0, t + 1);
        expect(causalScores(prefix)).toEqual(causalScores(y).slice(0, t + 1));
        const upTo = (ps: ReturnType<typeof anomalyEvents>['points']) => ps.filter((p) => p.index <= t);
        const options = { periods: [4], quiet: 3 };
        expect(upTo(anomalyEvents(prefix, options).points)).toEqual(upTo(anomalyEvents(y, options).points));
      }),
      { numRuns: 60 },
    );
  });

  it('flags a subset of the points when the sensitivity rises, with finite scores and bands', () => {
    const series = fc.array(
      fc.oneof(
        fc.integer({ min: -20, max: 20 }),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.constant(0),
      ),
      { maxLength: 80 },
    );
    fc.assert(
      fc.property(
        series,
        fc.double({ min: 0.5, max: 8, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (y, low, extra) => {
          const loose = anomalyEvents(y, { sensitivity: low, periods: [4] }).points;
          const strict = anomalyEvents(y, { sensitivity: low + extra, periods: [4] }).points;
          const looseIndices = new Set(loose.map((p) => p.index));
          expect(strict.every((p) => looseIndices.has(p.index))).toBe(true);
          for (const p of loose) {
            expect([p.value, p.expected, p.lower, p.upper, p.score].every(Number.isFinite)).toBe(true);
            expect(
              p.lower <= p.expected && p.expected <= p.upper && p.score > low && p.value === y[p.index],
            ).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('means the same at one sensitivity on smooth and on heavy-tailed noise, at any scale', () => {
    const n = 3000;
    const normal = gaussian(4, n);
    // Student t with 2 degrees of freedom: infinite variance, a spike every few hundred points.
    const z = gaussian(5, 2 * n);
    const heavy = normal.map((e, i) => e / Math.sqrt((z[2 * i]! ** 2 + z[2 * i + 1]! ** 2) / 2));
    const rate = (y: readonly number[]) => onsets(y).length / n;
    // Gaussian: about the nominal 0.27 % beyond 3 SDs. t₂ beyond 3 MAD-based SDs would be ~7 %;
    // the tail-quantile scale keeps it within a small factor of the Gaussian rate.
    expect(rate(normal)).toBeLessThan(0.004);
    expect(rate(heavy)).toBeLessThan(0.01);
    expect(onsets(heavy.map((v) => 1000 * v + 7))).toEqual(onsets(heavy));
    // Both raise more onsets at a lower sensitivity, and never fewer.
    expect(onsets(heavy, { sensitivity: 2 }).length).toBeGreaterThan(onsets(heavy).length);
  });

  it('flags the first change of a constant series, and nothing while it stays constant', () => {
    const y = [...new Array<number>(40).fill(5), ...new Array<number>(40).fill(6)];
    expect(onsets(y)).toEqual([40]);
    expect(anomalyEvents(new Array<number>(60).fill(0)).points).toEqual([]);
  });
});
