/**
 * Anomaly events: causal verdicts grouped into episodes with an onset, a peak
 * and an end, so that a spike, a level shift or a broken day is one finding
 * (and one alert), not a run of flagged points.
 */
import { type CausalOptions, CausalScorer, type CausalStep } from './causal.ts';
import { type AnomalyPoint, checkInteger, checkSensitivity, DEFAULT_SENSITIVITY } from './types.ts';

export interface EventOptions extends CausalOptions {
  /** Half-width of the band in robust SDs of the past one-step errors. @default 3 */
  readonly sensitivity?: number;
  /**
   * Consecutive points inside the band that close an event: by default a whole
   * level window, so the expectation that judges the next onset has been
   * rebuilt from points after the event. @default levelWindow (30)
   */
  readonly quiet?: number;
}

/** A flagged point of a causal run; `onset` only on the first point of its event. */
export interface EventPoint extends AnomalyPoint {
  readonly onset: boolean;
  /** Index of the event (in `events`) the point belongs to. */
  readonly event: number;
  /** The seasonal period of the expectation, null for the plain level. */
  readonly period: number | null;
}

export interface AnomalyEvent {
  /** Index of the onset: the first point outside the band. */
  readonly start: number;
  /** Index of the point farthest outside the band. */
  readonly peak: number;
  /** Index of the last point outside the band (the event is still open when `open`). */
  readonly end: number;
  /** The peak's score (robust z). */
  readonly score: number;
  /** The expected value and band at the onset. */
  readonly expected: number;
  readonly lower: number;
  readonly upper: number;
  readonly direction: AnomalyPoint['direction'];
  /** Points of the event outside the band. */
  readonly flagged: number;
  /** True when the series ends before `quiet` points inside the band closed the event. */
  readonly open: boolean;
  /** The seasonal period of the expectation at the onset, null for the plain level. */
  readonly period: number | null;
}

export interface EventResult {
  readonly points: EventPoint[];
  readonly events: AnomalyEvent[];
}

function toPoint(
  index: number,
  value: number,
  s: CausalStep,
  sensitivity: number,
  onset: boolean,
  event: number,
): EventPoint {
  const half = sensitivity * s.scale;
  return {
    index,
    value,
    expected: s.expected,
    lower: s.expected - half,
    upper: s.expected + half,
    score: Math.abs(s.z),
    direction: s.z > 0 ? 'UP' : 'DOWN',
    onset,
    event,
    period: s.period,
  };
}

/**
 * Causal anomaly events. Each point t is scored by CausalScorer from y_0 … y_{t−1}
 * (so the verdict on t never changes when later points arrive); a point whose
 * |z| exceeds `sensitivity` while no event is open starts one (its onset);
 * further flagged points join the open event; `quiet` consecutive points
 * inside the band close it. The expectation keeps learning during an event,
 * so after a level shift the level and season move to the new regime and the
 * event closes instead of flagging every later point.
 * @throws RangeError on non-finite values, sensitivity ≤ 0, quiet < 1 or bad CausalOptions
 * @example anomalyEvents([10, 11, 10, 12, 11, 10, 11, 10, 12, 11, 40, 10, 11]).events
 *   // one event: start = peak = end = 10, expected 11, score ≈ 8.86, open (fewer than 30 calm points since)
 * @complexity O(n·(levelWindow + scaleWindow + Σ periods))
 */
export function anomalyEvents(y: readonly number[], options: EventOptions = {}): EventResult {
  const { sensitivity = DEFAULT_SENSITIVITY, quiet = options.levelWindow ?? 30, ...causal } = options;
  checkSensitivity(sensitivity);
  checkInteger('quiet', quiet, 1);
  const scorer = new CausalScorer(causal);
  const points: EventPoint[] = [];
  const events: AnomalyEvent[] = [];
  let open: {
    start: number;
    peak: number;
    end: number;
    score: number;
    onset: EventPoint;
    flagged: number;
  } | null = null;
  let calm = 0;
  const close = (stillOpen: boolean) => {
    if (!open) return;
    const { onset } = open;
    events.push({
      start: open.start,
      peak: open.peak,
      end: open.end,
      score: open.score,
      expected: onset.expected,
      lower: onset.lower,
      upper: onset.upper,
      direction: onset.direction,
      flagged: open.flagged,
      open: stillOpen,
      period: onset.period,
    });
    open = null;
  };
  y.forEach((v, t) => {
    const step = scorer.push(v);
    if (!step) return;
    const score = Math.abs(step.z);
    if (!(score > sensitivity)) {
      if (open && ++calm >= quiet) close(false);
      return;
    }
    calm = 0;
    if (open) {
      points.push(toPoint(t, v, step, sensitivity, false, events.length));
      open.end = t;
      open.flagged++;
      if (score > open.score) {
        open.peak = t;
        open.score = score;
      }
    } else {
      const onset = toPoint(t, v, step, sensitivity, true, events.length);
      points.push(onset);
      open = { start: t, peak: t, end: t, score, onset, flagged: 1 };
    }
  });
  close(true);
  return { points, events };
}
