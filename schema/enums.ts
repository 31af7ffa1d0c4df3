import { builder } from './builder.ts';
import {
  DIMENSIONS,
  GRANULARITIES,
  MEASURE_ORDER_FIELDS,
  SEVERITIES,
  STATS,
  STATUSES,
} from '../src/domain/types.ts';

export const StatusEnum = builder.enumType('Status', {
  description: "An attempt's outcome. An execution's status is its last attempt's.",
  values: STATUSES,
});

export const DimensionEnum = builder.enumType('Dimension', {
  description: 'A column to slice by. Tags are grouped with `groupByTags`.',
  values: DIMENSIONS,
});

export const GranularityEnum = builder.enumType('Granularity', {
  description: 'Time bucket (UTC). NONE: no bucketing.',
  values: GRANULARITIES,
});

export const StatEnum = builder.enumType('Stat', {
  description:
    'Aggregate of a numeric series. Percentiles are exact (continuous interpolation, as quantile_cont).',
  values: STATS,
});

export const SortDirectionEnum = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });

export const ResultOrderFieldEnum = builder.enumType('ResultOrderField', {
  values: ['STARTED_AT', 'DURATION'] as const,
});

export const TestOrderFieldEnum = builder.enumType('TestOrderField', {
  values: [
    'PASS_RATE',
    'FAIL_RATE',
    'FLAKY_RATE',
    'EXECUTIONS',
    'DURATION_AVG',
    'DURATION_P95',
    'LAST_RUN_AT',
    'NAME',
  ] as const,
});

export const MetricsOrderFieldEnum = builder.enumType('MetricsOrderField', {
  description: 'A measure to order metrics rows by; it is computed even when not selected.',
  values: MEASURE_ORDER_FIELDS,
});

export const SeriesMeasureEnum = builder.enumType('SeriesMeasure', {
  description: 'An execution measure an analysis runs over.',
  values: ['PASS_RATE', 'FAIL_RATE', 'FLAKY_RATE', 'EXECUTIONS', 'DURATION'] as const,
});

export const SeverityEnum = builder.enumType('Severity', {
  description: 'How urgent an anomaly or alert is, least to most: INFO < WARNING < CRITICAL.',
  values: SEVERITIES,
});
