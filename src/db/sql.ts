import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { ResultFilter, RunFilter } from '../domain/types.ts';
import { ts } from './values.ts';

/** Collects bound parameters; `bind` returns the placeholder for a value. */
export class Params {
  readonly values: DuckDBValue[] = [];
  bind(v: DuckDBValue): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
  /**
   * The inside of an `IN (…)` for strings. A short list gets a placeholder per value, which
   * DuckDB plans as a constant IN filter pruned by zone maps; a longer one is bound as ONE
   * LIST parameter and unnested, so its size never grows the statement text or the planner's
   * work (a semi hash join, whose min/max filter still reaches the scan). An empty list is
   * `NULL`, which `IN (…)` never matches (SQL has no empty IN list).
   */
  list(vs: readonly string[]): string {
    if (!vs.length) return 'NULL';
    if (vs.length <= SHORT_LIST) return vs.map((v) => this.bind(v)).join(', ');
    return `SELECT unnest(${this.bind(listValue([...vs]))}::VARCHAR[])`;
  }
}

/**
 * Longest list bound value by value. On 4M rows, a 2-value IN filter scanned in 25 ms, the
 * same list unnested from one parameter in 64 ms (list_contains: 166 ms, = ANY: 105 ms).
 */
const SHORT_LIST = 16;

/** Case-insensitive substring match of a test's name (`t.name`) against any of `names`. */
function nameMatches(names: readonly string[], p: Params): string {
  if (names.length <= SHORT_LIST)
    return names.map((n) => `contains(lower(t.name), lower(${p.bind(n)}))`).join(' OR ');
  return `EXISTS (SELECT 1 FROM unnest(${p.bind(listValue([...names]))}::VARCHAR[]) AS u(n) WHERE contains(lower(t.name), lower(u.n)))`;
}

/**
 * The columns a ResultFilter field compares. The results and executions
 * tables share these names, so one filter serves both.
 */
const LIST_COLUMNS = {
  project: 'project',
  suite: 'suite',
  testId: 'test_id',
  branch: 'branch',
  commit: 'commit_sha',
  status: 'status',
  worker: 'worker',
  hardware: 'hardware',
} as const satisfies Partial<Record<keyof ResultFilter, string>>;

/**
 * WHERE conditions for a slice (OR within a field, AND across fields). With `tags: false` the
 * conditions on tags are left out, for a source that applies them elsewhere (tagFilterSql).
 */
export function resultFilterSql(
  f: ResultFilter | null | undefined,
  p: Params,
  alias = '',
  { tags = true } = {},
): string[] {
  const col = (c: string) => (alias ? `${alias}.${c}` : c);
  const out: string[] = [];
  if (!f) return out;
  for (const [field, column] of Object.entries(LIST_COLUMNS) as [keyof typeof LIST_COLUMNS, string][]) {
    const values = f[field];
    if (values && values.length) out.push(`${col(column)} IN (${p.list(values)})`);
  }
  if (f.testName?.length) {
    out.push(`${col('test_id')} IN (SELECT t.id FROM tests t WHERE ${nameMatches(f.testName, p)})`);
  }
  if (f.runId?.length)
    out.push(`${col('run_seq')} IN (SELECT r.seq FROM runs r WHERE r.id IN (${p.list(f.runId)}))`);
  if (tags) out.push(...tagFilterSql(f, p, col('tags')));
  if (f.from) out.push(`${col('started_at')} >= ${p.bind(ts(f.from))}`);
  if (f.to) out.push(`${col('started_at')} < ${p.bind(ts(f.to))}`);
  return out;
}

/** The slice's conditions on tags, over the tag map `tags`. */
export function tagFilterSql(f: ResultFilter | null | undefined, p: Params, tags = 'tags'): string[] {
  return (f?.tags ?? []).map((tag) =>
    tag.values.length
      ? `${tags}[${p.bind(tag.key)}] IN (${p.list(tag.values)})`
      : `${tags}[${p.bind(tag.key)}] IS NOT NULL`,
  );
}

/**
 * The condition that leaves out the executions of infrastructure failures (infra-judge.ts) unless the
 * filter includes them: for executions and daily_counts, whose `infra` column says so; results have none.
 */
export const infraSql = (f: ResultFilter | null | undefined): string[] =>
  f?.includeInfrastructureFailures ? [] : ['NOT infra'];

export function runFilterSql(f: RunFilter | null | undefined, p: Params): string[] {
  const out: string[] = [];
  if (!f) return out;
  if (f.project?.length) out.push(`project IN (${p.list(f.project)})`);
  if (f.branch?.length) out.push(`branch IN (${p.list(f.branch)})`);
  if (f.commit?.length) out.push(`commit_sha IN (${p.list(f.commit)})`);
  if (f.from) out.push(`started_at >= ${p.bind(ts(f.from))}`);
  if (f.to) out.push(`started_at < ${p.bind(ts(f.to))}`);
  return out;
}

/** An aggregate that is null where it overflows a DOUBLE (GraphQL's Float carries no infinity). */
export const finite = (agg: string): string => `CASE WHEN isfinite(${agg}) THEN ${agg} END`;

export const where = (conds: readonly string[]): string =>
  conds.length ? `WHERE ${conds.join(' AND ')}` : '';

/** Opaque, URL-safe cursor over a keyset position. */
export const encodeCursor = (key: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor(cursor: string): (string | number)[] | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number') ? v : null;
  } catch {
    return null;
  }
}
