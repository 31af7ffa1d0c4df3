import { CompareMethodEnum, Comparison } from './compare.ts';
import { builder } from './builder.ts';
import { DimensionEnum } from './enums.ts';
import { ResultFilter, SeriesInput } from './inputs.ts';
import { MetricGroup } from './metrics.ts';
import * as performanceResolvers from '../resolvers/performance.ts';
import type {
  DimensionEffect as DimensionEffectModel,
  PerformanceCell as PerformanceCellModel,
  PerformanceReport as PerformanceReportModel,
} from '../src/domain/performance.ts';

const PerformanceCell = builder.objectRef<PerformanceCellModel>('PerformanceCell').implement({
  description: 'One combination of dimension and tag values with the series over it.',
  fields: (t) => ({
    group: t.field({
      type: MetricGroup,
      description: 'The combination: the crossed dimensions and tags; other fields are null.',
      resolve: (c) => c.group,
    }),
    value: t.exposeFloat('value', {
      description: "The series' stat over the combination, in the series' unit (as `metrics` computes it).",
    }),
    n: t.exposeInt('n', {
      description: 'Observations: executions for a measure, results carrying the metric for a metric.',
    }),
  }),
});

const DimensionEffect = builder.objectRef<DimensionEffectModel>('DimensionEffect').implement({
  description:
    "One dimension or tag value's effect on the series: its raw observations against those of the dimension's reference value (its most observed one), by the two-sample test of `compare`. Marginal: the other dimensions are not held fixed.",
  fields: (t) => ({
    dimension: t.expose('dimension', {
      type: DimensionEnum,
      nullable: true,
      description: "Null when the value is a tag's (see tag).",
    }),
    tag: t.exposeString('tag', {
      nullable: true,
      description: 'The tag key when the value is a tag\'s, e.g. "model".',
    }),
    value: t.exposeString('value'),
    n: t.exposeInt('n', { description: 'Observations with the value.' }),
    reference: t.exposeString('reference', {
      description: "The dimension's most observed value, which every other value is compared with.",
    }),
    comparison: t.field({
      type: Comparison,
      nullable: true,
      description:
        'The value (candidate) against the reference (baseline): delta with its confidence interval, p-value, significance. Null for the reference itself, or with fewer than minSamples observations.',
      resolve: (e) => e.comparison,
    }),
  }),
});

const PerformanceReport = builder.objectRef<PerformanceReportModel>('PerformanceReport').implement({
  description:
    "A series across several dimensions at once (e.g. hardware × model × batch size): every combination ranked, and each value's effect with an interval.",
  fields: (t) => ({
    higherIsBetter: t.exposeBoolean('higherIsBetter', {
      description:
        'How combinations are ranked: true for pass rate, executions and throughput-like metrics; false for fail and flaky rates, duration and latency-like metrics (as trends read them).',
    }),
    combinations: t.field({
      type: [PerformanceCell],
      description: 'Combinations with at least minSamples observations, best first.',
      args: { first: t.arg.int({ defaultValue: 100, description: 'Most combinations returned.' }) },
      resolve: (r, { first }) => r.combinations.slice(0, Math.max(0, first ?? 100)),
    }),
    best: t.field({
      type: PerformanceCell,
      nullable: true,
      description: 'The best combination; null when none has minSamples observations.',
      resolve: (r) => r.combinations[0] ?? null,
    }),
    worst: t.field({
      type: PerformanceCell,
      nullable: true,
      description: 'The worst combination; null when none has minSamples observations.',
      resolve: (r) => r.combinations.at(-1) ?? null,
    }),
    effects: t.field({
      type: [DimensionEffect],
      description:
        'Per dimension (in the order asked), its values most observed first (at most 20), the reference first.',
      resolve: (r) => r.effects,
    }),
  }),
});

builder.queryFields((t) => ({
  performance: t.field({
    type: PerformanceReport,
    nullable: false,
    description:
      "Multi-dimensional performance: the best and worst combination of dimension and tag values for a series, and each value's effect against its dimension's most common value.",
    args: {
      series: t.arg({
        type: SeriesInput,
        required: true,
        description:
          'What to rank, e.g. { metric: "throughput", stat: P50 } or { measure: DURATION, stat: P95 }.',
      }),
      filter: t.arg({ type: ResultFilter }),
      dimensions: t.arg({
        type: [DimensionEnum],
        description:
          'Dimensions to cross; HARDWARE when neither dimensions nor tagKeys are given. At most 4 dimensions and tags in all.',
      }),
      tagKeys: t.arg.stringList({ description: 'Tags to cross, e.g. ["model", "batch_size"].' }),
      minSamples: t.arg.int({
        defaultValue: 5,
        description: 'Fewest observations a combination needs to be ranked, and a value to be compared.',
      }),
      confidence: t.arg.float({
        defaultValue: 0.95,
        description: 'Confidence of the effect intervals and of `significant`, between 0 and 1.',
      }),
      method: t.arg({
        type: CompareMethodEnum,
        description: 'The two-sample test; MANN_WHITNEY when omitted.',
      }),
    },
    resolve: (_root, args, ctx) => performanceResolvers.performance(ctx, args),
  }),
}));
