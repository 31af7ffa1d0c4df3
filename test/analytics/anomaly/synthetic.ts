/**
 * A seeded generator of labelled series in the spirit of the Yahoo S5 and NAB
 * benchmarks, and the window-based precision/recall used to score detectors.
 */
import { mulberry32 } from '../../../src/analytics/random.ts';

export type AnomalyKind = 'SPIKE' | 'DIP' | 'LEVEL_SHIFT' | 'SEASONAL_BREAK' | 'DRIFT';

/** A labelled anomaly: the points [start, end] are anomalous. */
export interface Label {
  readonly kind: AnomalyKind;
  readonly start: number;
  readonly end: number;
}

export interface LabelledSeries {
  readonly y: number[];
  readonly labels: Label[];
  readonly period: number | null;
}

export interface SeriesSpec {
  readonly seed: number;
  readonly length: number;
  /** Points per day when seasonal (a daily rhythm with a nightly batch burst), null for none. */
  readonly period: number | null;
  /** Weekends (days 5 and 6 of each week) keep only 30 % of the working-hours bump. */
  readonly weekly?: boolean;
  readonly kinds: readonly AnomalyKind[];
}

/** Standard normal draws (Box–Muller) from a seeded uniform generator. */
export function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/**
 * Level L ∈ {10, 1000}·U(1, 5) and noise σ = L·U(1 %, 5 %), AR(1) with φ ∈ [0, 0.3]
 * (so the noise is not always white). Seasonal series: a smooth working-hours
 * bump of amplitude A = σ·U(4, 10) from hour 8 to 18 and a two-hour nightly
 * batch burst of A·U(0.8, 1.5) at hours 2–3; with `weekly`, weekends keep
 * 30 % of the bump (so the series repeats every 7 periods). Anomalies, each at a random
 * place ≥ 30 points from the others and from the ends (≥ 2 periods in for
 * seasonal series): SPIKE / DIP of ±σ·U(6, 10) on one point; LEVEL_SHIFT of
 * ±σ·U(5, 8) for 30–60 points; DRIFT, a ramp to +σ·U(8, 12) over 40 points
 * that then resets (a leak, then a restart); SEASONAL_BREAK, one period whose
 * rhythm is inverted. Labels cover the anomalous points.
 */
export function generateSeries({ seed, length, period, weekly = false, kinds }: SeriesSpec): LabelledSeries {
  const rand = mulberry32(seed);
  const normal = gaussian(rand);
  const uniform = (a: number, b: number): number => a + (b - a) * rand();
  const level = (rand() < 0.5 ? 10 : 1000) * uniform(1, 5);
  const sigma = level * uniform(0.01, 0.05);
  const phi = uniform(0, 0.3);
  const amp = sigma * uniform(4, 10);
  const burst = amp * uniform(0.8, 1.5);
  const season = (t: number): number => {
    if (period === null) return 0;
    const h = ((t % period) / period) * 24;
    const weekend = weekly && Math.floor(t / period) % 7 >= 5 ? 0.3 : 1;
    const day = h >= 8 && h < 18 ? weekend * amp * Math.sin((Math.PI * (h - 8)) / 10) : 0;
    return day + (h >= 2 && h < 4 ? burst : 0);
  };
  const y: number[] = [];
  let e = 0;
  for (let t = 0; t < length; t++) {
    e = phi * e + Math.sqrt(1 - phi * phi) * normal() * sigma;
    y.push(level + season(t) + e);
  }
  const labels: Label[] = [];
  const first = period === null ? 40 : 2 * period;
  const taken: [number, number][] = [];
  const place = (span: number): number | null => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const s = Math.floor(uniform(first, length - span - 30));
      if (taken.every(([a, b]) => s + span + 30 < a || s > b + 30)) {
        taken.push([s, s + span - 1]);
        return s;
      }
    }
    return null;
  };
  for (const kind of kinds) {
    const span =
      kind === 'SPIKE' || kind === 'DIP'
        ? 1
        : kind === 'LEVEL_SHIFT'
          ? Math.floor(uniform(30, 61))
          : kind === 'DRIFT'
            ? 40
            : (period ?? 24);
    const s = place(span);
    if (s === null) continue;
    const sign = rand() < 0.5 ? -1 : 1;
    const size = kind === 'LEVEL_SHIFT' ? uniform(5, 8) : kind === 'DRIFT' ? uniform(8, 12) : uniform(6, 10);
    for (let t = s; t < s + span; t++) {
      if (kind === 'SPIKE') y[t]! += sigma * size;
      else if (kind === 'DIP') y[t]! -= sigma * size;
      else if (kind === 'LEVEL_SHIFT') y[t]! += sign * sigma * size;
      else if (kind === 'DRIFT') y[t]! += (sigma * size * (t - s + 1)) / span;
      else y[t]! -= 2 * season(t);
    }
    labels.push({ kind, start: s, end: s + span - 1 });
  }
  return { y, labels, period: period === null ? null : weekly ? 7 * period : period };
}

/** Flagged indices grouped into windows: flags at most `gap` apart share a window. */
function flaggedWindows(indices: readonly number[], gap = 2): [number, number][] {
  const sorted = [...indices].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i - last[1] <= gap) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

export interface Tally {
  /** Flagged windows that meet a label window. */
  truePositives: number;
  /** Flagged windows that meet none. */
  falsePositives: number;
  /** Labels hit / labels, per kind. */
  readonly hits: Record<AnomalyKind, [number, number]>;
}

export function emptyTally(): Tally {
  return {
    truePositives: 0,
    falsePositives: 0,
    hits: { SPIKE: [0, 0], DIP: [0, 0], LEVEL_SHIFT: [0, 0], SEASONAL_BREAK: [0, 0], DRIFT: [0, 0] },
  };
}

/**
 * Adds one series to a tally. A label's window is [start − 2, end + 2]; a label
 * is hit when a flagged point lies in it, and a flagged window is a true
 * positive when it overlaps some label window.
 */
export function tally(
  into: Tally,
  labels: readonly Label[],
  flagged: readonly number[],
  tolerance = 2,
): Tally {
  const windows = labels.map((l) => [l.start - tolerance, l.end + tolerance] as const);
  labels.forEach((l, k) => {
    const [a, b] = windows[k]!;
    into.hits[l.kind][1]++;
    if (flagged.some((i) => i >= a && i <= b)) into.hits[l.kind][0]++;
  });
  for (const [a, b] of flaggedWindows(flagged)) {
    if (windows.some(([c, d]) => a <= d && b >= c)) into.truePositives++;
    else into.falsePositives++;
  }
  return into;
}

export const precision = (t: Tally): number =>
  t.truePositives + t.falsePositives === 0 ? 1 : t.truePositives / (t.truePositives + t.falsePositives);
export const recall = (t: Tally, kinds: readonly AnomalyKind[]): number => {
  const [hit, all] = kinds.reduce(([h, a], k) => [h + t.hits[k][0], a + t.hits[k][1]], [0, 0]);
  return all === 0 ? 1 : hit / all;
};
