import { builder } from './builder.ts';
import { StatusEnum } from './enums.ts';
import { Run } from './run.ts';
import { Test } from './test.ts';
import * as compareRunResolvers from '../resolvers/compare-runs.ts';
import * as slices from '../resolvers/slices.ts';
import type {
  DurationRegression as DurationRegressionModel,
  RunComparison as RunComparisonModel,
  TestChange as TestChangeModel,
} from '../src/domain/run-compare.ts';

const TestChange = builder.objectRef<TestChangeModel>('TestChange').implement({
  description: "A test's outcome in the base run against the head run.",
  fields: (t) => ({
    test: t.field({ type: Test, resolve: (c, _a, ctx) => slices.test(ctx, c.testId) }),
    baseStatus: t.expose('baseStatus', {
      type: StatusEnum,
      nullable: true,
      description: 'Status of the last execution in the base run.',
    }),
    headStatus: t.expose('headStatus', {
      type: StatusEnum,
      nullable: true,
      description: 'Status of the last execution in the head run.',
    }),
    message: t.exposeString('message', {
      nullable: true,
      description: "The head run's failure message, if it failed.",
    }),
  }),
});

const DurationRegression = builder.objectRef<DurationRegressionModel>('DurationRegression').implement({
  description:
    'A test that got slower from the base run to the head run beyond its own noise: headMs / baseMs ≥ minDurationRatio and, when the test has at least 3 earlier passing durations, a head duration that history does not explain (one-sided Student-t prediction test on log durations, p < 1 − confidence).',
  fields: (t) => ({
    test: t.field({ type: Test, resolve: (d, _a, ctx) => slices.test(ctx, d.testId) }),
    baseMs: t.exposeFloat('baseMs', { description: 'Duration in the base run (last attempt), ms.' }),
    headMs: t.exposeFloat('headMs', { description: 'Duration in the head run (last attempt), ms.' }),
    ratio: t.exposeFloat('ratio', { description: 'headMs / baseMs.' }),
    historyN: t.exposeInt('historyN', {
      description:
        'Earlier passing durations of the test (before the head run, at most 30) it was judged against.',
    }),
    tScore: t.exposeFloat('tScore', {
      nullable: true,
      description:
        '(ln headMs − mean) / (sd · √(1 + 1/n)) over the ln of those durations; null with fewer than 3.',
    }),
    pValue: t.exposeFloat('pValue', {
      nullable: true,
      description:
        'One-sided p-value that the history explains headMs (Student t, n − 1 degrees of freedom); null with fewer than 3.',
    }),
    significant: t.exposeBoolean('significant', {
      nullable: true,
      description:
        'True when judged against the history (pValue < 1 − confidence); null when the history was too short and the ratio alone decided.',
    }),
  }),
});

const RunComparison = builder.objectRef<RunComparisonModel>('RunComparison').implement({
  description: 'What changed between two runs, test by test.',
  fields: (t) => ({
    base: t.field({ type: Run, resolve: (c) => c.base }),
    head: t.field({ type: Run, resolve: (c) => c.head }),
    newFailures: t.field({
      type: [TestChange],
      description: 'Passed in base, failed or errored in head.',
      resolve: (c) => c.newFailures,
    }),
    fixed: t.field({
      type: [TestChange],
      description: 'Failed or errored in base, passed in head.',
      resolve: (c) => c.fixed,
    }),
    stillFailing: t.field({
      type: [TestChange],
      description: 'Failed or errored in both.',
      resolve: (c) => c.stillFailing,
    }),
    newTests: t.field({
      type: [Test],
      description: 'Ran in head but not in base.',
      resolve: (c, _a, ctx) => Promise.all(c.newTests.map((id) => slices.test(ctx, id))),
    }),
    removedTests: t.field({
      type: [Test],
      description: 'Ran in base but not in head.',
      resolve: (c, _a, ctx) => Promise.all(c.removedTests.map((id) => slices.test(ctx, id))),
    }),
    durationRegressions: t.field({
      type: [DurationRegression],
      description: 'Largest ratio first.',
      resolve: (c) => c.durationRegressions,
    }),
  }),
});

builder.queryFields((t) => ({
  compareRuns: t.field({
    type: RunComparison,
    nullable: false,
    description:
      'Test-by-test changes from one run to another (e.g. main against a pull request). An unknown run id answers NOT_FOUND naming it.',
    args: {
      base: t.arg.id({ required: true }),
      head: t.arg.id({ required: true }),
      minDurationRatio: t.arg.float({
        defaultValue: 1.2,
        description: 'Smallest headMs / baseMs listed as a duration regression.',
      }),
      confidence: t.arg.float({
        defaultValue: 0.95,
        description:
          "How sure a slowdown must be against the test's own earlier durations to be listed, between 0 and 1.",
      }),
    },
    resolve: (_root, args, ctx) => compareRunResolvers.compareRuns(ctx, args),
  }),
}));
