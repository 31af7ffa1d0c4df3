import { checkRange } from './args.ts';
import { badInput } from '../src/domain/errors.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { GroupSeries, SeriesKind, SeriesQuery, SeriesSpec, SeriesStore } from '../src/domain/series.ts';
import type { Dimension, Granularity, ResultFilter } from '../src/domain/types.ts';

/** Most points an analysis reads over all its groups. */
export const MAX_SERIES_POINTS = 200_000;

/** Exactly one of measure or metric, as the contract's SeriesInput says. */
export function seriesKind(spec: SeriesSpec): SeriesKind {
  const metric = spec.metric?.trim();
  if (spec.measure && metric)
    throw badInput('series takes either `measure` or `metric`, not both', { field: 'series' });
  if (spec.measure) return { measure: spec.measure };
  if (metric) return { metric };
  throw badInput(
    'series needs a `measure` (PASS_RATE, FAIL_RATE, FLAKY_RATE, EXECUTIONS, DURATION) or a `metric` name, e.g. { metric: "latency_ms", stat: P95 }',
    { field: 'series' },
  );
}

export interface SeriesArgs {
  readonly series: SeriesSpec;
  readonly filter?: ResultFilter | null | undefined;
  readonly groupBy?: readonly Dimension[] | null | undefined;
  readonly groupByTags?: readonly string[] | null | undefined;
  readonly bucket?: Granularity | null | undefined;
}

/** Normalises the arguments every series analysis shares into a store query. */
export function seriesQuery(args: SeriesArgs, fallbackBucket: Granularity = 'DAY'): SeriesQuery {
  const f = args.filter;
  checkRange(f);
  return {
    filter: f ?? {},
    groupBy: [...new Set(args.groupBy ?? [])],
    groupByTags: [...new Set(args.groupByTags ?? [])],
    bucket: args.bucket ?? fallbackBucket,
    series: seriesKind(args.series),
    stat: args.series.stat ?? 'AVG',
    limit: MAX_SERIES_POINTS,
  };
}

/**
 * The slice's series, read once for every analysis of it: a trend, a forecast and anomalies of one
 * slice (a dashboard asks for them side by side) share the statement, also when asked at the same time.
 */
export function readSeries(
  deps: FeatureDeps<SeriesStore, 'cache'>,
  q: SeriesQuery,
): Promise<readonly GroupSeries[]> {
  return deps.cache.get('series', q, () => deps.store.series(q));
}

/**
 * Season lengths worth testing for a bucket size: hourly data often has both
 * a daily (24) and a weekly (168) rhythm; daily data a weekly one.
 */
export const SEASON_CANDIDATES: Readonly<Record<Granularity, readonly number[]>> = {
  NONE: [],
  MINUTE: [60, 1440],
  HOUR: [24, 168],
  DAY: [7],
  WEEK: [52],
  MONTH: [12],
};

const STEP_MS: Readonly<Record<Exclude<Granularity, 'NONE' | 'MONTH'>, number>> = {
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
  WEEK: 7 * 86_400_000,
};

/** The start of the bucket `k` buckets after `t` (calendar months for MONTH, UTC). */
export function addBuckets(t: Date, k: number, bucket: Exclude<Granularity, 'NONE'>): Date {
  if (bucket === 'MONTH') return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + k, 1));
  return new Date(t.getTime() + k * STEP_MS[bucket]);
}

const HIGHER_IS_BETTER = /throughput|qps|rps|ops|accuracy|score|hit|coverage|success|speedup/i;

/**
 * Whether a rise is good for a series: pass rate and execution count up is
 * good; fail rate, flaky rate and duration up is bad; for a named metric, rises
 * are good when its name says throughput, accuracy, score, hits or coverage and
 * bad otherwise (latency, memory, time, errors).
 */
export function higherIsBetter(kind: SeriesKind): boolean {
  if ('metric' in kind) return HIGHER_IS_BETTER.test(kind.metric);
  return kind.measure === 'PASS_RATE' || kind.measure === 'EXECUTIONS';
}

/** Days between two instants: trends regress on x = days since the first point. */
export const daysBetween = (a: Date, b: Date): number => (b.getTime() - a.getTime()) / 86_400_000;
