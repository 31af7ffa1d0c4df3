import { builder } from './builder.ts';
import { connectionArgs, connectionOf } from './connection.ts';
import { StatusEnum } from './enums.ts';
import { ResultFilter, ResultOrder } from './inputs.ts';
import { Node } from './node.ts';
import { Run } from './run.ts';
import { DateTime, JSONScalar } from './scalars.ts';
import { selectsField } from './selection.ts';
import { Test } from './test.ts';
import * as slices from '../resolvers/slices.ts';
import type { NamedMetric, Result as ResultModel } from '../src/domain/types.ts';

const MetricValue = builder.objectRef<NamedMetric>('MetricValue').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    value: t.exposeFloat('value'),
    unit: t.exposeString('unit', { nullable: true }),
  }),
});

const Result = builder.objectRef<ResultModel>('Result');

Result.implement({
  description: 'One execution attempt of a test in a run.',
  interfaces: [Node],
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.expose('status', { type: StatusEnum }),
    durationMs: t.exposeFloat('durationMs'),
    attempt: t.exposeInt('attempt', { description: '1 for the first try, 2 for the first retry, …' }),
    startedAt: t.expose('startedAt', { type: DateTime }),
    worker: t.exposeString('worker', { nullable: true }),
    hardware: t.exposeString('hardware', { nullable: true }),
    message: t.exposeString('message', { nullable: true }),
    stackTrace: t.exposeString('stackTrace', { nullable: true }),
    tags: t.expose('tags', {
      type: JSONScalar,
      description: "The run's tags overlaid with the result's own.",
    }),
    metrics: t.field({ type: [MetricValue], resolve: (r) => r.metrics }),
    test: t.field({ type: Test, resolve: (r, _a, ctx) => slices.test(ctx, r.testId) }),
    run: t.field({ type: Run, resolve: (r, _a, ctx) => slices.run(ctx, r.runId) }),
  }),
});

const ResultConnection = connectionOf('Result', Result, (r: ResultModel) => r);

builder.queryField('results', (t) =>
  t.field({
    type: ResultConnection,
    description: 'Attempts in a slice, newest first by default.',
    args: {
      filter: t.arg({ type: ResultFilter }),
      ...connectionArgs,
      orderBy: t.arg({ type: ResultOrder }),
    },
    resolve: (_root, args, ctx, info) => slices.results(ctx, args, selectsField(info, 'totalCount')),
  }),
);

// A test's history is its results: defined here, beside Result, so test.ts need not import this file.
builder.objectField(Test, 'history', (t) =>
  t.field({
    type: [Result],
    description: 'The last `last` attempts, oldest first.',
    args: { last: t.arg.int({ defaultValue: 50 }) },
    resolve: (test, { last }, ctx) => slices.history(ctx, test.id, last ?? 50),
  }),
);
