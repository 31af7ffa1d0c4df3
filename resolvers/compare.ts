import { InsufficientSampleError } from '../src/analytics/compare.ts';
import { compareStatistics } from '../src/analytics/compare-statistics.ts';
import type { CompareMethod, Comparison } from '../src/domain/compare.ts';
import type { SampleStatistics, SeriesSpec, SeriesStore } from '../src/domain/series.ts';
import { AssayError, badInput } from '../src/domain/errors.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { Dimension, ResultFilter } from '../src/domain/types.ts';
import { seriesKind } from './series-args.ts';

export interface CompareArgs {
  readonly series: SeriesSpec;
  readonly filter?: ResultFilter | null | undefined;
  readonly dimension: Dimension;
  readonly baseline: string;
  readonly candidate: string;
  readonly confidence?: number | null | undefined;
  readonly method?: CompareMethod | null | undefined;
}

/** A value's statistics, or those of an empty sample when the slice has none of it. */
export function statisticsOf(all: readonly SampleStatistics[], value: string): SampleStatistics {
  return (
    all.find((s) => s.value === value) ?? {
      value,
      n: 0,
      mean: 0,
      stdDev: null,
      median: 0,
      u: 0,
      tieTerm: 0,
      points: [],
    }
  );
}

/**
 * Whether a series differs between two values of one dimension: the raw
 * values (one per execution, or per result for a metric) of each side,
 * compared by Mann–Whitney (default) or Welch's t; significant at 1 − confidence.
 * The samples are summarized and ranked in the database (see compare-statistics.ts).
 */
export function compare(deps: FeatureDeps<SeriesStore, 'cache'>, args: CompareArgs): Promise<Comparison> {
  const confidence = args.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1))
    throw badInput(`confidence must be between 0 and 1 (got ${confidence}), e.g. 0.95`, {
      field: 'confidence',
    });
  if (args.baseline === args.candidate)
    throw badInput('baseline and candidate are the same value; name two different values of the dimension', {
      field: 'candidate',
    });
  const q = {
    filter: args.filter ?? {},
    series: seriesKind(args.series),
    dimension: args.dimension,
    baseline: args.baseline,
    candidate: args.candidate,
  };
  return deps.cache.get('compare', { ...q, confidence, method: args.method ?? null }, async () => {
    const [all = []] = await deps.store.sampleStatistics({
      filter: q.filter,
      series: q.series,
      axes: [{ dimension: q.dimension, reference: q.baseline, values: [q.candidate] }],
    });
    try {
      const c = compareStatistics(statisticsOf(all, q.baseline), statisticsOf(all, q.candidate), {
        method: args.method ?? 'AUTO',
        confidence,
        alpha: 1 - confidence,
      });
      return {
        ...c,
        baseline: { value: args.baseline, ...c.baseline },
        candidate: { value: args.candidate, ...c.candidate },
      };
    } catch (err) {
      if (!(err instanceof InsufficientSampleError)) throw err;
      const value = err.sample === 'baseline' ? args.baseline : args.candidate;
      throw new AssayError(
        'INSUFFICIENT_DATA',
        `${err.message}: the slice has ${err.got} value${err.got === 1 ? '' : 's'} where ${args.dimension} is "${value}". Widen the filter or check the value's spelling.`,
        { minimum: err.minimum },
      );
    }
  });
}
