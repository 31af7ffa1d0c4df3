import { builder } from './builder.ts';
import { connectionArgs, connectionOf } from './connection.ts';
import { StatusEnum } from './enums.ts';
import { ResultFilter, TestOrder } from './inputs.ts';
import { Node } from './node.ts';
import { DateTime } from './scalars.ts';
import { selectsField, selectsPath } from './selection.ts';
import * as slices from '../resolvers/slices.ts';
import type { TestWithStats } from '../src/domain/slices.ts';
import type { Test as TestModel, TestStats as TestStatsModel } from '../src/domain/types.ts';

/** A test, with stats already computed when it came from a `tests(filter)` slice. */
type TestNode = TestModel & { readonly sliceStats?: TestStatsModel };

const TestStats = builder.objectRef<TestStatsModel>('TestStats').implement({
  description:
    'Execution stats (attempts folded). Rates are over executions that ran (skipped excluded); durations are of the last attempt of executions that ran.',
  fields: (t) => ({
    executions: t.exposeInt('executions'),
    passed: t.exposeInt('passed'),
    failed: t.exposeInt('failed', { description: 'Executions that ended FAILED or ERROR.' }),
    skipped: t.exposeInt('skipped'),
    flaky: t.exposeInt('flaky'),
    passRate: t.exposeFloat('passRate', { nullable: true }),
    failRate: t.exposeFloat('failRate', { nullable: true }),
    flakyRate: t.exposeFloat('flakyRate', { nullable: true }),
    durationAvg: t.exposeFloat('durationAvg', { nullable: true }),
    durationP95: t.exposeFloat('durationP95', { nullable: true }),
    lastStatus: t.expose('lastStatus', { type: StatusEnum, nullable: true }),
    lastRunAt: t.expose('lastRunAt', { type: DateTime, nullable: true }),
  }),
});

export const Test = builder.objectRef<TestNode>('Test');

Test.implement({
  description: 'A test, identified by (project, suite, className, name); its id is a stable hash of those.',
  interfaces: [Node],
  fields: (t) => ({
    id: t.exposeID('id'),
    project: t.exposeString('project'),
    suite: t.exposeString('suite'),
    className: t.exposeString('className', { nullable: true }),
    name: t.exposeString('name'),
    firstSeenAt: t.expose('firstSeenAt', { type: DateTime }),
    stats: t.field({
      type: TestStats,
      description:
        'Over the slice when the test came from `tests(filter)`, otherwise over its whole history.',
      resolve: (test, _a, ctx) => test.sliceStats ?? ctx.loaders.testStats.load(test.id),
    }),
  }),
});

const TestConnection = connectionOf(
  'Test',
  Test,
  (n: TestWithStats): TestNode => ({ ...n.test, sliceStats: n.stats }),
);

builder.queryFields((t) => ({
  tests: t.field({
    type: TestConnection,
    description: 'Tests seen in a slice, each with its stats over that slice.',
    args: {
      filter: t.arg({ type: ResultFilter }),
      ...connectionArgs,
      orderBy: t.arg({ type: TestOrder }),
    },
    resolve: (_root, args, ctx, info) =>
      slices.tests(ctx, args, {
        count: selectsField(info, 'totalCount'),
        // The last status and run read a column more of every execution the page's tests have.
        lastRun: selectsPath(info, ['edges', 'node', 'stats', ['lastStatus', 'lastRunAt']]),
      }),
  }),
  test: t.field({
    type: Test,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => slices.test(ctx, id),
  }),
}));
