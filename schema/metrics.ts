import { builder } from './builder.ts';
import { DimensionEnum, GranularityEnum, StatEnum, StatusEnum } from './enums.ts';
import { MetricsOrder, ResultFilter } from './inputs.ts';
import { Run } from './run.ts';
import { DateTime, JSONScalar } from './scalars.ts';
import { selectedMeasures } from './selection.ts';
import { Test } from './test.ts';
import * as slices from '../resolvers/slices.ts';
import { measureKey, type MetricsGroup as GroupModel, type MetricsRow } from '../src/domain/types.ts';

export const MetricGroup = builder.objectRef<GroupModel>('MetricGroup').implement({
  description: 'The dimension values of a metrics row; fields not grouped by are null.',
  fields: (t) => ({
    project: t.string({ nullable: true, resolve: (g) => g.project ?? null }),
    suite: t.string({ nullable: true, resolve: (g) => g.suite ?? null }),
    test: t.field({
      type: Test,
      nullable: true,
      resolve: (g, _a, ctx) => (g.testId ? ctx.loaders.test.load(g.testId) : null),
    }),
    branch: t.string({ nullable: true, resolve: (g) => g.branch ?? null }),
    commit: t.string({ nullable: true, resolve: (g) => g.commit ?? null }),
    run: t.field({
      type: Run,
      nullable: true,
      resolve: (g, _a, ctx) => (g.runId ? ctx.loaders.run.load(g.runId) : null),
    }),
    worker: t.string({ nullable: true, resolve: (g) => g.worker ?? null }),
    hardware: t.string({ nullable: true, resolve: (g) => g.hardware ?? null }),
    status: t.field({ type: StatusEnum, nullable: true, resolve: (g) => g.status ?? null }),
    tags: t.field({
      type: JSONScalar,
      description: 'The grouped tags: name → value (null where a row lacks the tag).',
      resolve: (g) => g.tags,
    }),
  }),
});

const MetricRow = builder.objectRef<MetricsRow>('MetricRow').implement({
  description:
    'One group of a metrics slice. Counts are executions (attempts folded); only selected measures are computed.',
  fields: (t) => ({
    group: t.field({ type: MetricGroup, resolve: (r) => r.group }),
    bucket: t.field({
      type: DateTime,
      nullable: true,
      description: 'Start of the time bucket (UTC); null without bucketing.',
      resolve: (r) => r.bucket,
    }),
    executions: t.int({ nullable: true, resolve: (r) => r.values['executions'] ?? null }),
    passed: t.int({
      nullable: true,
      description: 'Executions whose last attempt passed (flaky included).',
      resolve: (r) => r.values['passed'] ?? null,
    }),
    failed: t.int({ nullable: true, resolve: (r) => r.values['failed'] ?? null }),
    errored: t.int({ nullable: true, resolve: (r) => r.values['errored'] ?? null }),
    skipped: t.int({ nullable: true, resolve: (r) => r.values['skipped'] ?? null }),
    flaky: t.int({
      nullable: true,
      description: 'Executions where an earlier attempt failed or errored and a later one passed.',
      resolve: (r) => r.values['flaky'] ?? null,
    }),
    passRate: t.float({
      nullable: true,
      description: 'passed / (executions − skipped).',
      resolve: (r) => r.values['passRate'] ?? null,
    }),
    failRate: t.float({
      nullable: true,
      description: '(failed + errored) / (executions − skipped).',
      resolve: (r) => r.values['failRate'] ?? null,
    }),
    flakyRate: t.float({
      nullable: true,
      description: 'flaky / (executions − skipped).',
      resolve: (r) => r.values['flakyRate'] ?? null,
    }),
    duration: t.float({
      nullable: true,
      description: 'A statistic of execution duration in ms (last attempt; skipped executions excluded).',
      args: { stat: t.arg({ type: StatEnum, defaultValue: 'AVG' }) },
      resolve: (r, { stat }) => r.values[measureKey({ kind: 'duration', stat: stat ?? 'AVG' })] ?? null,
    }),
    metric: t.float({
      nullable: true,
      description: 'A statistic of a named metric over the results that carry it.',
      args: { name: t.arg.string({ required: true }), stat: t.arg({ type: StatEnum, defaultValue: 'AVG' }) },
      resolve: (r, { name, stat }) =>
        r.values[measureKey({ kind: 'metric', name, stat: stat ?? 'AVG' })] ?? null,
    }),
  }),
});

builder.queryField('metrics', (t) =>
  t.field({
    type: [MetricRow],
    description:
      'Any slice grouped by any dimensions, tags and time bucket, with only the selected measures computed.',
    args: {
      filter: t.arg({ type: ResultFilter }),
      groupBy: t.arg({ type: [DimensionEnum] }),
      groupByTags: t.arg.stringList(),
      bucket: t.arg({ type: GranularityEnum, defaultValue: 'NONE' }),
      orderBy: t.arg({ type: MetricsOrder }),
      limit: t.arg.int({ defaultValue: 1000 }),
    },
    resolve: (_root, args, ctx, info) => slices.metrics(ctx, args, selectedMeasures(info)),
  }),
);
