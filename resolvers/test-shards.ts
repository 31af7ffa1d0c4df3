import { checkRange } from './args.ts';
import { splitIntoShards } from '../src/analytics/shards.ts';
import { badInput } from '../src/domain/errors.ts';
import { asTestId } from '../src/domain/ids.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { TestShardPlan, TestShardStore } from '../src/domain/test-shards.ts';
import type { ResultFilter, Stat } from '../src/domain/types.ts';

export interface TestShardsArgs {
  readonly filter?: ResultFilter | null | undefined;
  readonly shards: number;
  readonly stat?: Stat | null | undefined;
}

/** Most shards a plan may ask for. */
export const MAX_SHARDS = 256;
/** Days of history a plan reads when the filter gives no start. */
export const SHARD_HISTORY_DAYS = 14;
/** Most tests one plan places. */
const MAX_TESTS = 100_000;

/**
 * Splits the slice's tests over `shards` by their recent durations (p90 of
 * each test's executions over the last SHARD_HISTORY_DAYS unless the filter
 * says from when). Tests the filter names by id that have no duration there
 * are spread evenly by count.
 */
export function testShards(
  deps: FeatureDeps<TestShardStore, 'cache' | 'now'>,
  args: TestShardsArgs,
): Promise<TestShardPlan> {
  checkRange(args.filter);
  const n = args.shards;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SHARDS)
    throw badInput(`shards must be a whole number from 1 to ${MAX_SHARDS} (got ${n})`, { field: 'shards' });
  const stat = args.stat ?? 'P90';
  if (stat === 'COUNT' || stat === 'SUM')
    throw badInput(
      `stat ${stat} is not a duration a test takes: use P90 (default), P50, P95, P99, AVG, MIN or MAX`,
      { field: 'stat' },
    );
  const f = args.filter ?? {};
  const filter: ResultFilter = f.from
    ? f
    : { ...f, from: new Date((f.to ?? deps.now()).getTime() - SHARD_HISTORY_DAYS * 86_400_000) };
  return deps.cache.get('testShards', { filter, n, stat }, async () => {
    const rows = await deps.store.metrics({
      filter,
      groupBy: ['TEST'],
      groupByTags: [],
      bucket: 'NONE',
      measures: [{ kind: 'duration', stat }],
      orderBy: null,
      limit: MAX_TESTS,
    });
    const ms = new Map<string, number | null>();
    for (const r of rows) if (r.group.testId) ms.set(r.group.testId, r.values[`duration:${stat}`] ?? null);
    for (const id of f.testId ?? []) if (!ms.has(id)) ms.set(id, null);
    const plan = splitIntoShards(
      [...ms].map(([id, v]) => ({ id, ms: v })),
      n,
    );
    const total = plan.shards.reduce((s, x) => s + x.expectedMs, 0);
    return {
      stat,
      shards: plan.shards.map((s, index) => ({
        index,
        expectedMs: s.expectedMs,
        tests: [...s.items]
          .sort((a, b) => (b.ms ?? -1) - (a.ms ?? -1) || (a.id < b.id ? -1 : 1))
          .map((i) => ({ testId: asTestId(i.id), expectedMs: i.ms })),
      })),
      makespanMs: plan.makespanMs,
      lowerBoundMs: plan.lowerBoundMs,
      imbalance: total > 0 ? plan.makespanMs / (total / n) - 1 : null,
    };
  });
}
