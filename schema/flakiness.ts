import { builder } from './builder.ts';
import { DimensionEnum } from './enums.ts';
import { ResultFilter, TimeWindowInput } from './inputs.ts';
import { DateTime } from './scalars.ts';
import { Test } from './test.ts';
import * as flakinessResolvers from '../resolvers/flakiness.ts';
import * as slices from '../resolvers/slices.ts';
import {
  FLAKINESS_CLASSES,
  type FlakinessCause as FlakinessCauseModel,
  type FlakinessEntry as FlakinessEntryModel,
} from '../src/domain/flakiness.ts';

const FlakinessClassEnum = builder.enumType('FlakinessClass', {
  description:
    'STABLE: passes consistently. FLAKY: outcomes flip without code changes. FAILING: fails consistently. INSUFFICIENT_DATA: fewer executions than minExecutions.',
  values: FLAKINESS_CLASSES,
});

const FlakinessCause = builder.objectRef<FlakinessCauseModel>('FlakinessCause').implement({
  description:
    "The worker or hardware a test's flaky evidence concentrates on, far beyond its share of the test's executions.",
  fields: (t) => ({
    dimension: t.expose('dimension', { type: DimensionEnum, description: 'WORKER or HARDWARE.' }),
    value: t.exposeString('value'),
    share: t.exposeFloat('share', {
      description: "Share of the test's flaky evidence on that value, 0 … 1.",
    }),
  }),
});

const FlakinessEntry = builder.objectRef<FlakinessEntryModel>('FlakinessEntry').implement({
  description: "A test's flakiness over the window.",
  fields: (t) => ({
    test: t.field({ type: Test, resolve: (e, _a, ctx) => slices.test(ctx, e.testId) }),
    score: t.exposeFloat('score', {
      description:
        'Estimated flake rate: the chance that an execution fails when nothing changed, 0 … 1 (flaky evidence per execution free to flake, weighted toward recent ones; see the README).',
    }),
    lower: t.exposeFloat('lower', { description: 'Lower bound of the 95 % Wilson interval of the score.' }),
    upper: t.exposeFloat('upper', { description: 'Upper bound of the 95 % Wilson interval of the score.' }),
    flipRate: t.exposeFloat('flipRate', {
      description: 'Share of consecutive executions whose outcome differs, 0 … 1.',
    }),
    executions: t.exposeInt('executions', {
      description: 'Executions in the window (attempts folded, skipped excluded).',
    }),
    failures: t.exposeInt('failures', { description: 'Executions that ended FAILED or ERROR.' }),
    flakyExecutions: t.exposeInt('flakyExecutions', {
      description:
        'Executions that are flaky evidence: passed on retry, failed on a commit that also passed, or failed in a short failure run a pass ended.',
    }),
    inconsistentCommits: t.exposeInt('inconsistentCommits', {
      description: 'Commits on which the test both passed and failed.',
    }),
    classification: t.expose('classification', { type: FlakinessClassEnum }),
    lastFlakeAt: t.expose('lastFlakeAt', {
      type: DateTime,
      nullable: true,
      description: 'Start of the most recent flaky execution; null when none.',
    }),
    cause: t.expose('cause', {
      type: FlakinessCause,
      nullable: true,
      description:
        'The worker or hardware its flaky evidence is attributed to; null when the test itself is the cause. When set, score, interval and classification leave out the executions on that value.',
    }),
  }),
});

builder.queryFields((t) => ({
  flakiness: t.field({
    type: [FlakinessEntry],
    nullable: false,
    description: 'Tests ranked by flakiness score, highest first.',
    args: {
      filter: t.arg({ type: ResultFilter }),
      window: t.arg({
        type: TimeWindowInput,
        description: 'Look-back window ending now; ANDed with filter.from/to. Default: 30 days.',
      }),
      minExecutions: t.arg.int({
        defaultValue: 5,
        description: 'Tests with fewer executions are classified INSUFFICIENT_DATA.',
      }),
      first: t.arg.int({ defaultValue: 50, description: 'Most tests returned.' }),
    },
    resolve: (_root, args, ctx) => flakinessResolvers.flakiness(ctx, args),
  }),
}));
