import { builder } from './builder.ts';
import { DimensionEnum } from './enums.ts';
import { ResultFilter } from './inputs.ts';
import { DateTime } from './scalars.ts';
import { Test } from './test.ts';
import * as failurePatternResolvers from '../resolvers/failure-patterns.ts';
import * as slices from '../resolvers/slices.ts';
import type {
  FailureCorrelation as FailureCorrelationModel,
  FailurePattern as FailurePatternModel,
  FailurePatternDay as FailurePatternDayModel,
} from '../src/domain/failure-patterns.ts';

const FailureCorrelation = builder.objectRef<FailureCorrelationModel>('FailureCorrelation').implement({
  description:
    "A worker, hardware, branch, suite or tag value over-represented among a failure pattern's occurrences: listed when it holds at least 10 % of them (and 2 or more) and lift > 1.",
  fields: (t) => ({
    dimension: t.expose('dimension', {
      type: DimensionEnum,
      nullable: true,
      description: "WORKER, HARDWARE, BRANCH or SUITE; null when the value is a tag's (see tag).",
    }),
    tag: t.exposeString('tag', {
      nullable: true,
      description: 'The tag key when the value is a tag\'s, e.g. "model".',
    }),
    value: t.exposeString('value'),
    occurrences: t.exposeInt('occurrences', { description: "The pattern's occurrences with this value." }),
    share: t.exposeFloat('share', {
      description: "Share of the pattern's occurrences with this value, 0 … 1.",
    }),
    baselineShare: t.exposeFloat('baselineShare', {
      description: "The value's share of the slice's attempts that ran (its share of the work), 0 … 1.",
    }),
    lift: t.exposeFloat('lift', {
      description:
        'share / baselineShare: how many times its share of the work the value carries of the pattern; above 1 means over-represented.',
    }),
  }),
});

const FailurePatternDay = builder.objectRef<FailurePatternDayModel>('FailurePatternDay').implement({
  description: "A day's occurrences of a failure pattern.",
  fields: (t) => ({
    day: t.expose('day', { type: DateTime, description: 'Start of the day (UTC).' }),
    occurrences: t.exposeInt('occurrences'),
  }),
});

const FailurePattern = builder.objectRef<FailurePatternModel>('FailurePattern').implement({
  description:
    'Failure messages that are the same once UUIDs, timestamps, path directories, base64 runs, hex ids and numbers are masked (see README, "Failure patterns").',
  fields: (t) => ({
    fingerprint: t.exposeString('fingerprint', {
      description: 'Stable hash of the pattern (first 16 hex digits of its MD5).',
    }),
    pattern: t.exposeString('pattern', {
      description:
        'The normalised message, variable parts replaced by placeholders: <uuid>, <ts>, <path>, <blob>, <hex>, <num>.',
    }),
    sample: t.exposeString('sample', { description: 'The earliest original message of the pattern.' }),
    occurrences: t.exposeInt('occurrences', { description: 'Failed or errored attempts with the pattern.' }),
    tests: t.exposeInt('tests', { description: 'Distinct tests that failed with the pattern.' }),
    affectedTests: t.field({
      type: [Test],
      description: 'The tests that failed with the pattern, most occurrences first (at most 100).',
      args: { first: t.arg.int({ defaultValue: 10 }) },
      resolve: (p, { first }, ctx) =>
        Promise.all(p.testIds.slice(0, Math.max(0, first ?? 10)).map((id) => slices.test(ctx, id))),
    }),
    firstSeen: t.expose('firstSeen', { type: DateTime }),
    lastSeen: t.expose('lastSeen', { type: DateTime }),
    daily: t.field({
      type: [FailurePatternDay],
      description: 'Occurrences per day (UTC), oldest first; days without any are left out.',
      resolve: (p) => p.daily,
    }),
    correlations: t.field({
      type: [FailureCorrelation],
      description: 'Highest lift first, at most 10.',
      resolve: (p) => p.correlations,
    }),
  }),
});

builder.queryFields((t) => ({
  failurePatterns: t.field({
    type: [FailurePattern],
    nullable: false,
    description: 'Failure messages of the slice clustered into patterns, most occurrences first.',
    args: {
      filter: t.arg({ type: ResultFilter }),
      first: t.arg.int({ defaultValue: 20, description: 'Most patterns returned (1 … 1000).' }),
    },
    resolve: (_root, args, ctx) => failurePatternResolvers.failurePatterns(ctx, args),
  }),
}));
