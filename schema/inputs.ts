import { builder } from './builder.ts';
import { DateTime } from './scalars.ts';
import {
  MetricsOrderFieldEnum,
  ResultOrderFieldEnum,
  SeriesMeasureEnum,
  SortDirectionEnum,
  StatEnum,
  StatusEnum,
  TestOrderFieldEnum,
} from './enums.ts';

const TagFilter = builder.inputType('TagFilter', {
  description: 'Results whose tag `key` has one of `values` (any value when the list is empty).',
  fields: (t) => ({
    key: t.string({ required: true }),
    values: t.stringList({ required: true }),
  }),
});

export const ResultFilter = builder.inputType('ResultFilter', {
  description:
    'One slice definition, used by every query: each field a list (OR within a field, AND across fields); `from`/`to` are half-open [from, to) on the start time.',
  fields: (t) => ({
    project: t.stringList(),
    suite: t.stringList(),
    testId: t.idList(),
    testName: t.stringList({ description: 'Case-insensitive substrings of the test name.' }),
    branch: t.stringList(),
    commit: t.stringList(),
    runId: t.idList(),
    status: t.field({ type: [StatusEnum] }),
    worker: t.stringList(),
    hardware: t.stringList(),
    tags: t.field({ type: [TagFilter] }),
    from: t.field({ type: DateTime }),
    to: t.field({ type: DateTime }),
    includeInfrastructureFailures: t.boolean({
      description:
        'Count the executions of runs and workers marked as infrastructure failures (see `infrastructureFailures`) in flakiness and in execution measures (pass rate, counts, trends). Default false: they are left out. Lists of results and runs always show them.',
    }),
  }),
});

export const RunFilter = builder.inputType('RunFilter', {
  fields: (t) => ({
    project: t.stringList(),
    branch: t.stringList(),
    commit: t.stringList(),
    from: t.field({ type: DateTime }),
    to: t.field({ type: DateTime }),
  }),
});

export const ResultOrder = builder.inputType('ResultOrder', {
  fields: (t) => ({
    field: t.field({ type: ResultOrderFieldEnum, required: true }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: 'DESC' }),
  }),
});

export const TestOrder = builder.inputType('TestOrder', {
  fields: (t) => ({
    field: t.field({ type: TestOrderFieldEnum, required: true }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: 'ASC' }),
  }),
});

export const MetricsOrder = builder.inputType('MetricsOrder', {
  fields: (t) => ({
    field: t.field({ type: MetricsOrderFieldEnum, required: true }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: 'ASC' }),
  }),
});

export const SeriesInput = builder.inputType('SeriesInput', {
  description:
    'What an analysis runs over: an execution `measure`, or a named `metric`; exactly one of them, with a `stat` (default AVG).',
  fields: (t) => ({
    measure: t.field({ type: SeriesMeasureEnum }),
    metric: t.string(),
    stat: t.field({ type: StatEnum, defaultValue: 'AVG' }),
  }),
});

export const TimeWindowInput = builder.inputType('TimeWindowInput', {
  description: 'A look-back window ending now.',
  fields: (t) => ({ days: t.int(), hours: t.int() }),
});
