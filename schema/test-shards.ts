import { builder } from './builder.ts';
import { StatEnum } from './enums.ts';
import { ResultFilter } from './inputs.ts';
import { Test } from './test.ts';
import * as shardResolvers from '../resolvers/test-shards.ts';
import type {
  ShardedTest as ShardedTestModel,
  TestShard as TestShardModel,
  TestShardPlan as TestShardPlanModel,
} from '../src/domain/test-shards.ts';

const ShardedTest = builder.objectRef<ShardedTestModel>('ShardedTest').implement({
  description: 'A test placed on a shard.',
  fields: (t) => ({
    test: t.field({
      type: Test,
      nullable: true,
      description: 'Null only for an id the filter named that Assay has never seen.',
      resolve: (s, _a, ctx) => ctx.loaders.test.load(s.testId),
    }),
    testId: t.exposeID('testId', {}),
    expectedMs: t.exposeFloat('expectedMs', {
      nullable: true,
      description:
        "The test's recent duration by the plan's stat, ms; null when it has none (new, or only skipped): such tests are spread by count.",
    }),
  }),
});

const TestShard = builder.objectRef<TestShardModel>('TestShard').implement({
  description: 'One shard of a split: the tests one CI job runs.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: '0-based, as CI matrices count.' }),
    expectedMs: t.exposeFloat('expectedMs', {
      description: 'Sum of the expected durations of its tests with history, ms.',
    }),
    tests: t.field({
      type: [ShardedTest],
      description: 'Longest first; tests with no history last.',
      resolve: (s) => s.tests,
    }),
  }),
});

const TestShardPlan = builder.objectRef<TestShardPlanModel>('TestShardPlan').implement({
  description:
    "A slice's tests split over shards with balanced expected time: longest first onto the least loaded shard (LPT), then improved by moves and swaps from the heaviest shard.",
  fields: (t) => ({
    stat: t.expose('stat', {
      type: StatEnum,
      description: 'The duration statistic each test is expected to take.',
    }),
    shards: t.field({ type: [TestShard], resolve: (p) => p.shards }),
    makespanMs: t.exposeFloat('makespanMs', {
      description: "The longest shard's expected time, ms: how long the build waits.",
    }),
    lowerBoundMs: t.exposeFloat('lowerBoundMs', {
      description: 'No split can beat this: the larger of total / shards and the longest test, ms.',
    }),
    imbalance: t.exposeFloat('imbalance', {
      nullable: true,
      description: 'makespan / (total / shards) − 1: 0 is a perfect balance; null with no known durations.',
    }),
  }),
});

builder.queryFields((t) => ({
  testShards: t.field({
    type: TestShardPlan,
    nullable: false,
    description:
      "Splits the slice's tests over `shards` CI jobs with balanced expected time, from each test's recent durations. Name new tests with filter.testId to have them spread too.",
    args: {
      filter: t.arg({
        type: ResultFilter,
        description: `The tests to split and the history to read; the last ${shardResolvers.SHARD_HISTORY_DAYS} days unless it gives from.`,
      }),
      shards: t.arg.int({
        required: true,
        description: `Number of shards, 1 to ${shardResolvers.MAX_SHARDS}.`,
      }),
      stat: t.arg({
        type: StatEnum,
        description:
          'Duration statistic per test: P90 when omitted (a long tail costs a shard more than a mean shows).',
      }),
    },
    resolve: (_root, args, ctx) => shardResolvers.testShards(ctx, args),
  }),
}));
