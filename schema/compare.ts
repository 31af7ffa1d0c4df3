import { builder } from './builder.ts';
import { DimensionEnum } from './enums.ts';
import { ResultFilter, SeriesInput } from './inputs.ts';
import * as compareResolvers from '../resolvers/compare.ts';
import {
  COMPARE_METHODS,
  type Comparison as ComparisonModel,
  type SampleSummary as SampleSummaryModel,
} from '../src/domain/compare.ts';

export const CompareMethodEnum = builder.enumType('CompareMethod', {
  description:
    'MANN_WHITNEY: rank test, delta is the Hodges–Lehmann shift. WELCH_T: unequal-variance t-test, delta is the difference of means.',
  values: COMPARE_METHODS,
});

const SampleSummary = builder.objectRef<SampleSummaryModel>('SampleSummary').implement({
  description: 'One side of a comparison: the series observations for one dimension value.',
  fields: (t) => ({
    value: t.exposeString('value', { description: 'The dimension value, e.g. "cuda".' }),
    n: t.exposeInt('n', { description: 'Observations in the sample.' }),
    mean: t.exposeFloat('mean', { nullable: true }),
    median: t.exposeFloat('median', { nullable: true }),
    stdDev: t.exposeFloat('stdDev', {
      nullable: true,
      description: 'Sample standard deviation (n − 1); null with fewer than 2 observations.',
    }),
  }),
});

export const Comparison = builder.objectRef<ComparisonModel>('Comparison').implement({
  description: 'A two-sample test of candidate against baseline.',
  fields: (t) => ({
    baseline: t.field({ type: SampleSummary, resolve: (c) => c.baseline }),
    candidate: t.field({ type: SampleSummary, resolve: (c) => c.candidate }),
    delta: t.exposeFloat('delta', {
      description: 'Candidate − baseline, in the series unit (see CompareMethod for which location).',
    }),
    deltaPct: t.exposeFloat('deltaPct', {
      nullable: true,
      description: 'delta as a percentage of the baseline location; null when that is 0.',
    }),
    lower: t.exposeFloat('lower', {
      nullable: true,
      description: 'Lower bound of the confidence interval of delta.',
    }),
    upper: t.exposeFloat('upper', {
      nullable: true,
      description: 'Upper bound of the confidence interval of delta.',
    }),
    pValue: t.exposeFloat('pValue', { description: 'Two-sided p-value of "no difference".' }),
    significant: t.exposeBoolean('significant', { description: 'pValue < 1 − confidence.' }),
    method: t.expose('method', { type: CompareMethodEnum }),
  }),
});

builder.queryFields((t) => ({
  compare: t.field({
    type: Comparison,
    nullable: false,
    description:
      'Whether the series differs between two values of a dimension (e.g. HARDWARE "cpu" vs "cuda").',
    args: {
      series: t.arg({ type: SeriesInput, required: true }),
      filter: t.arg({ type: ResultFilter }),
      dimension: t.arg({ type: DimensionEnum, required: true }),
      baseline: t.arg.string({ required: true, description: 'The dimension value to compare against.' }),
      candidate: t.arg.string({ required: true, description: 'The dimension value compared.' }),
      confidence: t.arg.float({
        defaultValue: 0.95,
        description: 'Confidence of the interval and of `significant`, between 0 and 1.',
      }),
      method: t.arg({
        type: CompareMethodEnum,
        description: 'The test to use; chosen from the samples when omitted.',
      }),
    },
    resolve: (_root, args, ctx) => compareResolvers.compare(ctx, args),
  }),
}));
