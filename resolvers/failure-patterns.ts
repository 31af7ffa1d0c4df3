import { checkRange, pageSize } from './args.ts';
import type {
  DimensionValueCount,
  FailureCorrelation,
  FailurePattern,
  FailurePatternStore,
} from '../src/domain/failure-patterns.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { ResultFilter } from '../src/domain/types.ts';

export interface FailurePatternsArgs {
  readonly filter?: ResultFilter | null | undefined;
  readonly first?: number | null | undefined;
}

/** A value is listed when it carries at least this share of a pattern's occurrences… */
const MIN_CORRELATION_SHARE = 0.1;
/** …and at least this many of them (one occurrence says nothing of a concentration). */
const MIN_CORRELATION_OCCURRENCES = 2;
/** Most correlations listed per pattern. */
const MAX_CORRELATIONS = 10;

const valueKey = (v: Pick<DimensionValueCount, 'dimension' | 'tag' | 'value'>): string =>
  JSON.stringify([v.dimension, v.tag, v.value]);

/**
 * Failure messages of the slice clustered by pattern (masks in
 * src/db/failure-patterns.ts), most occurrences first. A pattern's
 * correlations are the worker, hardware, branch, suite and tag values over-
 * represented among its occurrences: share = the pattern's occurrences with
 * the value / its occurrences; lift = share / the value's share of the slice's
 * attempts that ran. So a lift of 9 reads "9× its share of the work".
 */
export function failurePatterns(
  deps: FeatureDeps<FailurePatternStore, 'cache'>,
  args: FailurePatternsArgs,
): Promise<FailurePattern[]> {
  checkRange(args.filter);
  const first = pageSize(args.first, 20, 1);
  const filter = args.filter ?? {};
  return deps.cache.get('failurePatterns', { filter, first }, async () => {
    const slice = await deps.store.failurePatterns(filter, first);
    const base = new Map(slice.baseline.map((b) => [valueKey(b), b.n]));
    return slice.patterns.map(({ values, ...p }) => {
      const correlations: FailureCorrelation[] = [];
      for (const v of values) {
        const share = v.n / p.occurrences;
        const inSlice = base.get(valueKey(v)) ?? 0;
        if (share < MIN_CORRELATION_SHARE || v.n < MIN_CORRELATION_OCCURRENCES || !inSlice || !slice.attempts)
          continue;
        const baselineShare = inSlice / slice.attempts;
        const lift = share / baselineShare;
        if (lift > 1)
          correlations.push({
            dimension: v.dimension,
            tag: v.tag,
            value: v.value,
            occurrences: v.n,
            share,
            baselineShare,
            lift,
          });
      }
      correlations.sort(
        (a, b) => b.lift - a.lift || b.occurrences - a.occurrences || (valueKey(a) < valueKey(b) ? -1 : 1),
      );
      return { ...p, correlations: correlations.slice(0, MAX_CORRELATIONS) };
    });
  });
}
