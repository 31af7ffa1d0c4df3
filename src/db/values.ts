import {
  DOUBLE,
  LIST,
  MAP,
  STRUCT,
  VARCHAR,
  listValue,
  mapValue,
  structValue,
  timestampValue,
  type DuckDBTimestampValue,
  type DuckDBMapValue,
  type DuckDBListValue,
} from '@duckdb/node-api';
import type { NamedMetric, Tags } from '../domain/types.ts';

/** Conversions between domain values and DuckDB values, in one place. */
export const TAGS_TYPE = MAP(VARCHAR, VARCHAR);
export const METRICS_TYPE = LIST(STRUCT({ name: VARCHAR, value: DOUBLE, unit: VARCHAR }));

export const ts = (d: Date): DuckDBTimestampValue => timestampValue(BigInt(d.getTime()) * 1000n);

export const tagsValue = (tags: Tags): DuckDBMapValue =>
  mapValue(Object.entries(tags).map(([key, value]) => ({ key, value })));

export const metricsValue = (metrics: readonly NamedMetric[]): DuckDBListValue =>
  listValue(metrics.map((m) => structValue({ name: m.name, value: m.value, unit: m.unit })));

/** A MAP read back through getRowObjectsJS arrives as [{ key, value }]. */
export function tagsFromRow(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) for (const e of v as { key: string; value: string }[]) out[e.key] = e.value;
  return out;
}

export function metricsFromRow(v: unknown): NamedMetric[] {
  return Array.isArray(v)
    ? (v as { name: string; value: number; unit: string | null }[]).map((m) => ({ ...m }))
    : [];
}

export const toNumber = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));
export const toNullableNumber = (v: unknown): number | null =>
  v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : Number(v);
