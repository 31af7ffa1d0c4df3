/**
 * Causal scoring: each point against a one-step-ahead expectation built from
 * the points before it only, on a scale learnt from the expectation's own past
 * errors. This is what a live alert can know, and what the events are built on.
 */
import { normalCdf, normalQuantile, studentTQuantile } from '../distributions.ts';
import { kthDeviation, medianOfSorted, RELATIVE_EPSILON } from './robust-stats.ts';
import { SortedWindow } from './sorted-window.ts';
import { checkInteger } from './types.ts';

export interface CausalOptions {
  /** Seasonal periods (in points) to try beside the plain level. @default [] */
  readonly periods?: readonly number[];
  /** Points the plain level is the median of. @default 30 */
  readonly levelWindow?: number;
  /**
   * Past errors the scale is taken over: with 600 its 99th percentile rests on
   * the 6 largest errors, not on one or two. @default 600
   */
  readonly scaleWindow?: number;
  /** No point is scored before this many past errors are known. @default 5 */
  readonly minHistory?: number;
  /** Use the plain level only while no seasonal expectation is ready (the SEASONAL method). @default false */
  readonly seasonalOnly?: boolean;
}

/** A point's verdict before anything after it is known. */
export interface CausalStep {
  readonly expected: number;
  /** Robust SD of the expectation's past one-step errors, widened while they are few (> 0). */
  readonly scale: number;
  /** (value − expected)/scale, signed. */
  readonly z: number;
  /** The period whose seasonal expectation was used, null for the plain level. */
  readonly period: number | null;
}

/** Seasonal cycles the per-phase offset is the median of (fewer while the history is short, at least 2). */
const SEASON_CYCLES = 4;

/** Quantiles of |e − median| the scale is read at: the core (MAD), and the tails. */
const TAIL_QUANTILES = [0.5, 0.9, 0.99];

/**
 * Robust SD of past errors that also covers their usual excursions: the
 * largest of the Gaussian-consistent estimates read at the 50th (the MAD), 90th
 * and 99th percentiles of |e − median|. Each order statistic is divided by
 * Φ⁻¹((1 + p)/2) at its plotting position p = (k + 1)/(n + 1) (Weibull), so
 * that with few errors the largest one is not taken for the 99th percentile.
 * All equal σ for Gaussian errors; with heavier tails the higher ones are
 * larger, so a point must stand out of what the series itself does once in a
 * hundred points, not just of its core: one sensitivity then means about the
 * same on smooth and on spiky series.
 */
function errorScale(sorted: readonly number[]): number {
  const centre = medianOfSorted(sorted);
  const n = sorted.length;
  let scale = 0;
  for (const q of TAIL_QUANTILES) {
    const k = Math.min(n - 1, Math.floor(q * n));
    scale = Math.max(scale, kthDeviation(sorted, centre, k) / normalQuantile((1 + (k + 1) / (n + 1)) / 2));
  }
  return scale;
}

/** Φ(3): the one-sided level of a 3-SD band, where the small-sample widening is read. */
const THREE_SD = normalCdf(3);

/**
 * t_{n−1}(Φ(3))/3: how much wider a 3-SD prediction interval must be when σ is
 * estimated from n errors instead of known (Student t with n − 1 degrees of
 * freedom); 2.21 at n = 5, 1.37 at 10, 1.12 at 25, 1.01 at 300. Keeps a short history from
 * raising false alarms on its own under-estimated scale.
 */
function smallSampleWidening(n: number, cache: Map<number, number>): number {
  let f = cache.get(n);
  if (f === undefined) {
    f = studentTQuantile(THREE_SD, Math.max(1, n - 1)) / 3;
    cache.set(n, f);
  }
  return f;
}

interface Predictor {
  readonly period: number | null;
  /** Expectation for the next point, or null while the history is too short. */
  predict(h: readonly number[]): number | null;
  /** Takes in the point that was just observed (h already holds it). */
  observe(h: readonly number[]): void;
  readonly errors: SortedWindow;
  readonly absErrors: SortedWindow;
}

function levelPredictor(window: number, scaleWindow: number): Predictor {
  const w = new SortedWindow(window);
  return {
    period: null,
    errors: new SortedWindow(scaleWindow),
    absErrors: new SortedWindow(scaleWindow),
    predict: () => (w.size >= Math.min(window, 5) ? w.median() : null),
    observe: (h) => w.push(h.at(-1)!),
  };
}

/**
 * Level plus seasonal offset: level_t = median of the last period points;
 * offset = median over the last cycles of (y − level) at the same phase.
 */
function seasonalPredictor(period: number, scaleWindow: number): Predictor {
  const w = new SortedWindow(period);
  const levels: (number | null)[] = [];
  return {
    period,
    errors: new SortedWindow(scaleWindow),
    absErrors: new SortedWindow(scaleWindow),
    predict: (h) => {
      const t = h.length;
      if (w.size < period) return null;
      const offsets: number[] = [];
      for (let k = 1; k <= SEASON_CYCLES; k++) {
        const level = levels[t - k * period];
        if (level === undefined || level === null) break;
        offsets.push(h[t - k * period]! - level);
      }
      if (offsets.length < 2) return null;
      return w.median() + medianOfSorted(offsets.sort((a, b) => a - b));
    },
    observe: (h) => {
      levels.push(w.size === period ? w.median() : null);
      w.push(h.at(-1)!);
    },
  };
}

/**
 * Online scorer. `push(y_t)` returns t's verdict from y_0 … y_{t−1} alone,
 * then learns y_t. The expectation is the predictor (plain level, or level
 * plus seasonal offset for each candidate period) whose past one-step
 * absolute errors have the smallest median, so the model is chosen by
 * out-of-sample error as the series goes, never by looking ahead.
 */
export class CausalScorer {
  readonly #h: number[] = [];
  readonly #predictors: Predictor[];
  readonly #minHistory: number;
  readonly #seasonalOnly: boolean;
  readonly #widening = new Map<number, number>();
  #maxAbs = 0;

  constructor({
    periods = [],
    levelWindow = 30,
    scaleWindow = 600,
    minHistory = 5,
    seasonalOnly = false,
  }: CausalOptions = {}) {
    checkInteger('levelWindow', levelWindow, 2);
    checkInteger('scaleWindow', scaleWindow, 2);
    checkInteger('minHistory', minHistory, 2);
    for (const p of periods) checkInteger('period', p, 2);
    this.#minHistory = Math.min(minHistory, scaleWindow);
    this.#seasonalOnly = seasonalOnly;
    this.#predictors = [
      levelPredictor(levelWindow, scaleWindow),
      ...periods.map((p) => seasonalPredictor(p, scaleWindow)),
    ];
  }

  /** @throws RangeError when y is not finite */
  push(y: number): CausalStep | null {
    if (!Number.isFinite(y)) throw new RangeError(`values must be finite numbers (got ${y})`);
    const forecasts = this.#predictors.map((p) => p.predict(this.#h));
    let chosen = -1;
    let best = Number.POSITIVE_INFINITY;
    const ready = (p: Predictor, i: number) => forecasts[i] !== null && p.errors.size >= this.#minHistory;
    const seasonalReady =
      this.#seasonalOnly && this.#predictors.some((p, i) => p.period !== null && ready(p, i));
    this.#predictors.forEach((p, i) => {
      if (!ready(p, i) || (seasonalReady && p.period === null)) return;
      const typical = p.absErrors.median();
      if (typical < best) {
        best = typical;
        chosen = i;
      }
    });
    let step: CausalStep | null = null;
    if (chosen >= 0) {
      const p = this.#predictors[chosen]!;
      const expected = forecasts[chosen]!;
      // The relative floor (the point's own size included) keeps rounding residue of a constant series from scoring.
      const widened = errorScale(p.errors.sorted()) * smallSampleWidening(p.errors.size, this.#widening);
      const scale = Math.max(widened, RELATIVE_EPSILON * Math.max(this.#maxAbs, Math.abs(y)));
      step =
        scale > 0
          ? { expected, scale, z: (y - expected) / scale, period: p.period }
          : { expected, scale: Number.MIN_VALUE, z: 0, period: p.period };
    }
    this.#h.push(y);
    this.#maxAbs = Math.max(this.#maxAbs, Math.abs(y));
    this.#predictors.forEach((p, i) => {
      const f = forecasts[i];
      if (f !== null && f !== undefined) {
        p.errors.push(y - f);
        p.absErrors.push(Math.abs(y - f));
      }
      p.observe(this.#h);
    });
    return step;
  }
}

/**
 * Every point's causal verdict (null while the history is too short).
 * @throws RangeError on non-finite values or bad options
 * @complexity O(n·(levelWindow + scaleWindow + Σ periods))
 */
export function causalScores(y: readonly number[], options: CausalOptions = {}): (CausalStep | null)[] {
  const scorer = new CausalScorer(options);
  return y.map((v) => scorer.push(v));
}
