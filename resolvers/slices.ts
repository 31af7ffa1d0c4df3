import { MAX_PAGE, checkRange, pageWindow, type ConnectionArgs } from './args.ts';
import { badInput, notFound } from '../src/domain/errors.ts';
import { asRunId, asTestId } from '../src/domain/ids.ts';
import type { FeatureDeps, Deps } from '../src/domain/ports.ts';
import type { ResultOrderField, TestOrderField, TestWithStats, SliceStore } from '../src/domain/slices.ts';
import type {
  Dimension,
  Direction,
  Granularity,
  Measure,
  MetricsOrderField,
  MetricsRow,
  Page,
  Result,
  ResultFilter,
  Run,
  RunFilter,
  Test,
} from '../src/domain/types.ts';

/** Most rows one metrics query returns. */
const MAX_METRICS_ROWS = 10_000;

export interface PageArgs<F> extends ConnectionArgs {
  readonly filter?: F | null | undefined;
}

export function results(
  deps: FeatureDeps<SliceStore, 'cache'>,
  args: PageArgs<ResultFilter> & {
    orderBy?: { field: ResultOrderField; direction?: Direction | null | undefined } | null | undefined;
  },
  count = true,
): Promise<Page<Result, number | null>> {
  checkRange(args.filter);
  const order = {
    field: args.orderBy?.field ?? 'STARTED_AT',
    direction: args.orderBy?.direction ?? 'DESC',
  } as const;
  const { size, bounds } = pageWindow(args, count);
  return deps.cache.get('results', { ...args, order, count }, () =>
    deps.store.resultsPage(args.filter, size, bounds, order),
  );
}

export function runs(
  deps: FeatureDeps<SliceStore, 'cache'>,
  args: PageArgs<RunFilter>,
  count = true,
): Promise<Page<Run, number | null>> {
  checkRange(args.filter);
  const { size, bounds } = pageWindow(args, count);
  return deps.cache.get('runs', { ...args, count }, () => deps.store.runsPage(args.filter, size, bounds));
}

export async function run(deps: Pick<Deps, 'loaders'>, id: string): Promise<Run> {
  const r = await deps.loaders.run.load(asRunId(id));
  if (!r) throw notFound('run', id);
  return r;
}

export function tests(
  deps: FeatureDeps<SliceStore, 'cache'>,
  args: PageArgs<ResultFilter> & {
    orderBy?: { field: TestOrderField; direction?: Direction | null | undefined } | null | undefined;
  },
  { count = true, lastRun = true }: { readonly count?: boolean; readonly lastRun?: boolean } = {},
): Promise<Page<TestWithStats, number | null>> {
  checkRange(args.filter);
  const order = {
    field: args.orderBy?.field ?? 'NAME',
    direction: args.orderBy?.direction ?? 'ASC',
  } as const;
  const { size, bounds } = pageWindow(args, count);
  return deps.cache.get('tests', { ...args, order, count, lastRun }, () =>
    deps.store.testsPage(args.filter, size, bounds, order, { lastRun }),
  );
}

export async function test(deps: Pick<Deps, 'loaders'>, id: string): Promise<Test> {
  const t = await deps.loaders.test.load(asTestId(id));
  if (!t) throw notFound('test', id);
  return t;
}

export async function history(
  deps: Pick<Deps, 'loaders'>,
  testId: string,
  last: number,
): Promise<readonly Result[]> {
  if (!Number.isInteger(last) || last < 1 || last > MAX_PAGE)
    throw badInput(`history(last:) must be from 1 to ${MAX_PAGE}`, { field: 'last' });
  return deps.loaders.history(last).load(asTestId(testId));
}

export interface MetricsArgs {
  readonly filter?: ResultFilter | null | undefined;
  readonly groupBy?: readonly Dimension[] | null | undefined;
  readonly groupByTags?: readonly string[] | null | undefined;
  readonly bucket?: Granularity | null | undefined;
  readonly orderBy?:
    | { field: MetricsOrderField; direction?: Direction | null | undefined }
    | null
    | undefined;
  readonly limit?: number | null | undefined;
}

/** A metrics slice with exactly the measures the caller selected. */
export function metrics(
  deps: FeatureDeps<SliceStore, 'cache'>,
  args: MetricsArgs,
  measures: readonly Measure[],
): Promise<MetricsRow[]> {
  checkRange(args.filter);
  const limit = args.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_METRICS_ROWS) {
    throw badInput(
      `limit must be from 1 to ${MAX_METRICS_ROWS} (got ${limit}); narrow the filter or group by fewer dimensions`,
      { field: 'limit' },
    );
  }
  const groupByTags = [...new Set(args.groupByTags ?? [])];
  if (groupByTags.some((t) => t.trim() === ''))
    throw badInput('groupByTags must not contain an empty tag name', { field: 'groupByTags' });
  if (groupByTags.length > 8) throw badInput('group by at most 8 tags at once', { field: 'groupByTags' });
  for (const m of measures) {
    if (m.kind === 'metric' && m.name.trim() === '')
      throw badInput('metric(name:) must name a metric, e.g. "throughput"', { field: 'metric.name' });
  }
  const q = {
    filter: args.filter ?? {},
    groupBy: [...new Set(args.groupBy ?? [])],
    groupByTags,
    bucket: args.bucket ?? 'NONE',
    measures,
    orderBy: args.orderBy ? { field: args.orderBy.field, direction: args.orderBy.direction ?? 'ASC' } : null,
    limit,
  } as const;
  return deps.cache.get('metrics', q, () => deps.store.metrics(q));
}
