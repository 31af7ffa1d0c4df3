import { checkRange } from './args.ts';
import { MAX_SERIES_POINTS, higherIsBetter, seriesKind } from './series-args.ts';
import { statisticsOf } from './compare.ts';
import { InsufficientSampleError } from '../src/analytics/compare.ts';
import { compareStatistics } from '../src/analytics/compare-statistics.ts';
import type { CompareMethod } from '../src/domain/compare.ts';
import type {
  DimensionEffect,
  PerformanceCell,
  PerformanceReport,
  PerformanceStore,
} from '../src/domain/performance.ts';
import type { SampleStatistics, SeriesKind, SeriesSpec } from '../src/domain/series.ts';
import { badInput } from '../src/domain/errors.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import {
  measureKey,
  type Dimension,
  type Measure,
  type MetricsGroup,
  type MetricsRow,
  type ResultFilter,
  type Stat,
} from '../src/domain/types.ts';

export interface PerformanceArgs {
  readonly series: SeriesSpec;
  readonly filter?: ResultFilter | null | undefined;
  readonly dimensions?: readonly Dimension[] | null | undefined;
  readonly tagKeys?: readonly string[] | null | undefined;
  readonly minSamples?: number | null | undefined;
  readonly confidence?: number | null | undefined;
  readonly method?: CompareMethod | null | undefined;
}

/** Most dimensions and tags crossed at once: beyond that the combinations outnumber the data. */
const MAX_PERFORMANCE_DIMENSIONS = 4;
/** Values per dimension compared with its reference, most observed first. */
const MAX_EFFECT_VALUES = 20;

const GROUP_FIELD: Readonly<Record<Dimension, keyof MetricsGroup>> = {
  PROJECT: 'project',
  SUITE: 'suite',
  TEST: 'testId',
  BRANCH: 'branch',
  COMMIT: 'commit',
  RUN: 'runId',
  WORKER: 'worker',
  HARDWARE: 'hardware',
  STATUS: 'status',
};

/** The metrics measures of a series over a whole group: its statistic, and its number of observations. */
function measures(kind: SeriesKind, stat: Stat): [Measure, Measure] {
  if ('metric' in kind)
    return [
      { kind: 'metric', name: kind.metric, stat },
      { kind: 'metric', name: kind.metric, stat: 'COUNT' },
    ];
  const n: Measure = { kind: 'count', name: 'executions' };
  switch (kind.measure) {
    case 'PASS_RATE':
      return [{ kind: 'count', name: 'passRate' }, n];
    case 'FAIL_RATE':
      return [{ kind: 'count', name: 'failRate' }, n];
    case 'FLAKY_RATE':
      return [{ kind: 'count', name: 'flakyRate' }, n];
    case 'EXECUTIONS':
      return [n, n];
    case 'DURATION':
      return [{ kind: 'duration', stat }, n];
  }
}

type Axis =
  | { readonly dimension: Dimension; readonly tag: null }
  | { readonly dimension: null; readonly tag: string };

const axisValue = (g: MetricsGroup, a: Axis): string | null => {
  const v = a.tag !== null ? g.tags[a.tag] : g[GROUP_FIELD[a.dimension]];
  return v === null || v === undefined ? null : String(v);
};

/**
 * A series across several dimensions at once (hardware × model × batch
 * size…): its statistic for every combination of values with at least
 * minSamples observations, best first (by the series' polarity, as trends
 * read it), and each value's marginal effect: its raw observations against
 * those of its dimension's most observed value, through the same two-sample
 * test as `compare` (Mann–Whitney with the Hodges–Lehmann shift by default).
 * Effects are marginal: the other dimensions are not held fixed.
 */
export function performance(
  deps: FeatureDeps<PerformanceStore, 'cache'>,
  args: PerformanceArgs,
): Promise<PerformanceReport> {
  const key = checkArgs(args);
  const { filter, kind, stat, dimensions, tagKeys, minSamples } = key;
  return deps.cache.get('performance', key, async () => {
    const [value, count] = measures(kind, stat);
    const rows = await deps.store.metrics({
      filter,
      groupBy: dimensions,
      groupByTags: tagKeys,
      bucket: 'NONE',
      measures: [value, count],
      orderBy: null,
      limit: MAX_SERIES_POINTS,
    });
    const up = higherIsBetter(kind);
    const cells: PerformanceCell[] = [];
    for (const r of rows) {
      const v = r.values[measureKey(value)];
      const n = r.values[measureKey(count)] ?? 0;
      if (v !== null && v !== undefined && n >= minSamples) cells.push({ group: r.group, value: v, n });
    }
    cells.sort((a, b) => (up ? b.value - a.value : a.value - b.value) || b.n - a.n);

    const axes: Axis[] = [
      ...dimensions.map((d) => ({ dimension: d, tag: null }) as const),
      ...tagKeys.map((t) => ({ dimension: null, tag: t }) as const),
    ];
    const observed = axes.map((axis) => ({ axis, values: observations(rows, axis, count) }));
    // One query for every axis: each value's sample summarized and ranked against its axis's reference.
    const compared = observed.filter(({ values }) => values.length > 0);
    const stats = await deps.store.sampleStatistics({
      filter,
      series: kind,
      axes: compared.map(({ axis, values }) => ({
        dimension: axis.dimension ?? 'HARDWARE',
        ...(axis.tag !== null ? { tag: axis.tag } : {}),
        reference: values[0]?.[0] ?? '',
        values: values.slice(1).flatMap(([v, n]) => (n >= minSamples ? [v] : [])),
      })),
    });
    const effects = compared.flatMap(({ axis, values }, i) => axisEffects(key, axis, values, stats[i] ?? []));
    return { higherIsBetter: up, combinations: cells, effects };
  });
}

/** The arguments with their defaults, checked; also the cache key. */
function checkArgs(args: PerformanceArgs) {
  checkRange(args.filter);
  const kind = seriesKind(args.series);
  const stat = args.series.stat ?? 'AVG';
  const dimensions = [...new Set(args.dimensions ?? [])];
  const tagKeys = [...new Set((args.tagKeys ?? []).map((k) => k.trim()).filter((k) => k))];
  if (!dimensions.length && !tagKeys.length) dimensions.push('HARDWARE');
  if (dimensions.length + tagKeys.length > MAX_PERFORMANCE_DIMENSIONS) {
    throw badInput(
      `performance crosses at most ${MAX_PERFORMANCE_DIMENSIONS} dimensions and tags at once (got ${dimensions.length + tagKeys.length}); drop some, or filter on them instead`,
      { field: 'dimensions' },
    );
  }
  const minSamples = args.minSamples ?? 5;
  if (!Number.isInteger(minSamples) || minSamples < 1)
    throw badInput(`minSamples must be a whole number ≥ 1 (got ${minSamples})`, { field: 'minSamples' });
  const confidence = args.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1))
    throw badInput(`confidence must be between 0 and 1 (got ${confidence}), e.g. 0.95`, {
      field: 'confidence',
    });
  const filter = args.filter ?? {};
  return { filter, kind, stat, dimensions, tagKeys, minSamples, confidence, method: args.method ?? null };
}

type PerformanceKey = ReturnType<typeof checkArgs>;

/** An axis's values with their observations summed over the combinations, most observed first. */
function observations(rows: readonly MetricsRow[], axis: Axis, count: Measure): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const v = axisValue(r.group, axis);
    if (v !== null) counts.set(v, (counts.get(v) ?? 0) + (r.values[measureKey(count)] ?? 0));
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_EFFECT_VALUES);
}

/** Each value's effect against the axis's most observed value (none for the reference and thin values). */
function axisEffects(
  key: PerformanceKey,
  axis: Axis,
  values: readonly [string, number][],
  all: readonly SampleStatistics[],
): DimensionEffect[] {
  const reference = values[0]?.[0];
  if (reference === undefined) return [];
  const ref = statisticsOf(all, reference);
  const effects: DimensionEffect[] = [];
  for (const [v, n] of values) {
    const base = { dimension: axis.dimension, tag: axis.tag, value: v, n, reference };
    if (v === reference || n < key.minSamples) {
      effects.push({ ...base, comparison: null });
      continue;
    }
    try {
      const c = compareStatistics(ref, statisticsOf(all, v), {
        method: key.method ?? 'AUTO',
        confidence: key.confidence,
        alpha: 1 - key.confidence,
      });
      effects.push({
        ...base,
        comparison: {
          ...c,
          baseline: { value: reference, ...c.baseline },
          candidate: { value: v, ...c.candidate },
        },
      });
    } catch (err) {
      if (!(err instanceof InsufficientSampleError)) throw err;
      effects.push({ ...base, comparison: null });
    }
  }
  return effects;
}
