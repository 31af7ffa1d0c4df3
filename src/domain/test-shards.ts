import type { TestId } from './ids.ts';
import type { SliceStore } from './slices.ts';
import type { Stat } from './types.ts';

/** One test placed on a shard. */
export interface ShardedTest {
  readonly testId: TestId;
  /** The test's recent duration by the plan's statistic; null when it has none (new, or only skipped). */
  readonly expectedMs: number | null;
}

export interface TestShard {
  /** 0-based, as CI matrices count. */
  readonly index: number;
  /** Sum of the known expected durations on the shard, ms. */
  readonly expectedMs: number;
  /** Longest first; tests with no history last. */
  readonly tests: readonly ShardedTest[];
}

/** A slice's tests split over shards with balanced expected time. */
export interface TestShardPlan {
  readonly stat: Stat;
  readonly shards: readonly TestShard[];
  /** The longest shard's expected time, ms. */
  readonly makespanMs: number;
  /** No split beats this: max(total / shards, the longest test), ms. */
  readonly lowerBoundMs: number;
  /** makespan / (total / shards) − 1: 0 is a perfect balance. Null with no known durations. */
  readonly imbalance: number | null;
}

/** What planning shards reads: each test's duration statistic over the slice. */
export type TestShardStore = Pick<SliceStore, 'metrics'>;
