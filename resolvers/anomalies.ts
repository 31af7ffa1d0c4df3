import {
  anomalyEvents as detectEvents,
  multivariateAnomalies,
  severityOf,
  type AnomalyEvent as DetectedEvent,
  type EventPoint,
} from '../src/analytics/anomaly/index.ts';
import type { Anomaly, AnomalyEvent, AnomalyMethod } from '../src/domain/anomalies.ts';
import type { ExecutionVector, SeriesStore } from '../src/domain/series.ts';
import { badInput } from '../src/domain/errors.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { MetricsGroup } from '../src/domain/types.ts';
import { readSeries, SEASON_CANDIDATES, seriesQuery, type SeriesArgs } from './series-args.ts';

export interface AnomalyArgs extends SeriesArgs {
  readonly method?: AnomalyMethod | null | undefined;
  readonly sensitivity?: number | null | undefined;
}

/** The flagged points and the events they form, for one set of arguments (cached together). */
interface AnomalyAnswer {
  readonly points: Anomaly[];
  readonly events: AnomalyEvent[];
}

type Judged = Exclude<AnomalyMethod, 'AUTO'>;

const methodOf = (period: number | null): Judged => (period === null ? 'ROBUST' : 'SEASONAL');

function toEvent(
  group: MetricsGroup,
  at: (i: number) => Date,
  y: readonly number[],
  e: DetectedEvent,
  method: Judged,
  sensitivity: number,
): AnomalyEvent {
  return {
    group,
    start: at(e.start),
    peak: at(e.peak),
    end: at(e.end),
    score: e.score,
    severity: severityOf(e.score, sensitivity),
    direction: e.direction,
    value: y[e.start]!,
    expected: e.expected,
    lower: e.lower,
    upper: e.upper,
    points: e.flagged,
    open: e.open,
    method,
  };
}

function toAnomaly(
  group: MetricsGroup,
  t: Date,
  p: Omit<EventPoint, 'event' | 'period'>,
  method: Judged,
  sensitivity: number,
): Anomaly {
  return {
    group,
    t,
    value: p.value,
    expected: p.expected,
    lower: p.lower,
    upper: p.upper,
    score: p.score,
    severity: severityOf(p.score, sensitivity),
    direction: p.direction,
    method,
    onset: p.onset,
  };
}

/**
 * Columns of the multivariate detector: duration, then every named metric
 * that all of the group's results carry (a metric some results lack cannot
 * be compared across rows).
 */
function vectorRows(rows: readonly ExecutionVector[]): number[][] {
  const names = Object.keys(rows[0]?.metrics ?? {})
    .filter((n) => rows.every((r) => n in r.metrics))
    .sort();
  return rows.map((r) => [r.durationMs, ...names.map((n) => r.metrics[n]!)]);
}

/**
 * Anomalies per group, as flagged points and as events, newest first. ROBUST,
 * SEASONAL and AUTO judge each point causally (from the points before it only)
 * against a one-step expectation: ROBUST the rolling median, SEASONAL the
 * level plus the seasonal offset of the bucket's candidate periods, AUTO
 * whichever of them has had the smaller past errors (anomalyEvents). A point
 * outside the band while no event is open is an onset; later flagged points
 * belong to that event until the series has settled back. MULTIVARIATE (an
 * isolation forest over each result's duration and metrics, value and band
 * the duration's) judges rows, not a time series: each flagged row is its own
 * one-point event.
 */
function anomalyAnalysis(deps: FeatureDeps<SeriesStore, 'cache'>, args: AnomalyArgs): Promise<AnomalyAnswer> {
  const sensitivity = args.sensitivity ?? 3;
  if (!(sensitivity > 0 && sensitivity <= 100))
    throw badInput(
      `sensitivity must be above 0 (robust standard deviations; 3 is usual), got ${sensitivity}`,
      { field: 'sensitivity' },
    );
  const method = args.method ?? 'AUTO';
  const q = seriesQuery(args);
  const candidates = SEASON_CANDIDATES[q.bucket];
  if (method === 'SEASONAL' && !candidates.length)
    throw badInput(
      'SEASONAL needs time buckets (bucket: HOUR or DAY, …) to find a rhythm in; use ROBUST with bucket NONE',
      { field: 'method' },
    );
  return deps.cache.get('anomalies', { ...q, method, sensitivity }, async () => {
    const points: Anomaly[] = [];
    const events: AnomalyEvent[] = [];
    if (method === 'MULTIVARIATE') {
      for (const { group, rows } of await deps.store.executionVectors(q)) {
        for (const p of multivariateAnomalies(vectorRows(rows), { sensitivity })) {
          const t = rows[p.index]!.t;
          points.push(toAnomaly(group, t, { ...p, onset: true }, 'MULTIVARIATE', sensitivity));
          events.push({
            group,
            start: t,
            peak: t,
            end: t,
            score: p.score,
            severity: severityOf(p.score, sensitivity),
            direction: p.direction,
            value: p.value,
            expected: p.expected,
            lower: p.lower,
            upper: p.upper,
            points: 1,
            open: false,
            method: 'MULTIVARIATE',
          });
        }
      }
    } else {
      const periods = method === 'ROBUST' ? [] : candidates;
      for (const s of await readSeries(deps, q)) {
        const y = s.points.map((p) => p.value);
        const at = (i: number) => s.points[i]!.t;
        const found = detectEvents(y, { sensitivity, periods, seasonalOnly: method === 'SEASONAL' });
        for (const p of found.points)
          points.push(toAnomaly(s.group, at(p.index), p, methodOf(p.period), sensitivity));
        for (const e of found.events)
          events.push(toEvent(s.group, at, y, e, methodOf(e.period), sensitivity));
      }
    }
    points.sort((a, b) => b.t.getTime() - a.t.getTime() || b.score - a.score);
    events.sort((a, b) => b.start.getTime() - a.start.getTime() || b.score - a.score);
    return { points, events };
  });
}

/** The flagged points, newest first; `onset` marks the first point of each event. */
export async function anomalies(
  deps: FeatureDeps<SeriesStore, 'cache'>,
  args: AnomalyArgs,
): Promise<Anomaly[]> {
  return (await anomalyAnalysis(deps, args)).points;
}

/** The events, newest onset first. */
export async function anomalyEvents(
  deps: FeatureDeps<SeriesStore, 'cache'>,
  args: AnomalyArgs,
): Promise<AnomalyEvent[]> {
  return (await anomalyAnalysis(deps, args)).events;
}
