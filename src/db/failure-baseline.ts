import type { Database } from './database.ts';
import { Params, resultFilterSql, where } from './sql.ts';
import { toNumber, ts } from './values.ts';
import type { DimensionValueCount } from '../domain/failure-patterns.ts';
import type { Dimension, ResultFilter } from '../domain/types.ts';

/** The dimensions a pattern's occurrences are broken down by, with their columns. */
export const PATTERN_DIMENSIONS: readonly (readonly [Dimension, string])[] = [
  ['WORKER', 'worker'],
  ['HARDWARE', 'hardware'],
  ['BRANCH', 'branch'],
  ['SUITE', 'suite'],
];

/** Attempts of a slice that ran, in total and per dimension and tag value. */
export interface SliceValueCounts {
  readonly attempts: number;
  readonly baseline: DimensionValueCount[];
}

const DAY_MS = 86_400_000;

/** Filter fields `attempt_values` holds per row (a run's); any other field needs the results. */
const RUN_FIELDS = new Set<keyof ResultFilter>([
  'project',
  'branch',
  'commit',
  'runId',
  'from',
  'to',
  'includeInfrastructureFailures',
]);

/**
 * Whether `attempt_values` answers the slice: it filters on run fields only (project, branch,
 * commit, run id) and time. The rollup counts per UTC day: the parts of days at the ends of the
 * range are counted from the results (`splitAtMidnights`).
 */
export function valuesAnswer(filter: ResultFilter): boolean {
  return (Object.keys(filter) as (keyof ResultFilter)[]).every((k) => {
    const v = filter[k];
    return RUN_FIELDS.has(k) || v === null || v === undefined || (Array.isArray(v) && v.length === 0);
  });
}

/** The slice's whole UTC days, if any, and the parts of days at the ends of its range. */
function splitAtMidnights(filter: ResultFilter): { days: ResultFilter | null; ends: ResultFilter[] } {
  const { from, to } = filter;
  const firstMidnight = from ? new Date(Math.ceil(from.getTime() / DAY_MS) * DAY_MS) : null;
  const lastMidnight = to ? new Date(Math.floor(to.getTime() / DAY_MS) * DAY_MS) : null;
  if (firstMidnight && lastMidnight && firstMidnight >= lastMidnight) return { days: null, ends: [filter] };
  const ends: ResultFilter[] = [];
  if (from && firstMidnight && from < firstMidnight) ends.push({ ...filter, from, to: firstMidnight });
  if (to && lastMidnight && lastMidnight < to) ends.push({ ...filter, from: lastMidnight, to });
  return { days: { ...filter, from: firstMidnight, to: lastMidnight }, ends };
}

/**
 * The slice's attempts that ran, in total and per worker, hardware, branch, suite and value of
 * each of `tagKeys`: summed from `attempt_values` when it answers the slice (`valuesAnswer`),
 * else (or `plain`) one grouping-sets scan of the slice's results.
 */
export async function sliceValueCounts(
  db: Database,
  filter: ResultFilter,
  tagKeys: readonly string[],
  { plain = false } = {},
): Promise<SliceValueCounts> {
  if (plain || !valuesAnswer(filter)) return countsFromResults(db, filter, tagKeys);
  const { days, ends } = splitAtMidnights(filter);
  const parts = await Promise.all([
    ...(days ? [countsFromValues(db, days, tagKeys)] : []),
    ...ends.map((f) => countsFromResults(db, f, tagKeys)),
  ]);
  return parts.length === 1 ? parts[0]! : sumCounts(parts);
}

/** Counts of disjoint parts of a slice, added up. */
function sumCounts(parts: readonly SliceValueCounts[]): SliceValueCounts {
  const byValue = new Map<string, DimensionValueCount>();
  for (const b of parts.flatMap((part) => part.baseline)) {
    const key = JSON.stringify([b.dimension, b.tag, b.value]);
    byValue.set(key, { ...b, n: (byValue.get(key)?.n ?? 0) + b.n });
  }
  return { attempts: parts.reduce((sum, part) => sum + part.attempts, 0), baseline: [...byValue.values()] };
}

/** Sums of `attempt_values` rows of the slice: TOTAL rows give the total and, by branch, the branches. */
async function countsFromValues(
  db: Database,
  filter: ResultFilter,
  tagKeys: readonly string[],
): Promise<SliceValueCounts> {
  const p = new Params();
  const conds = resultFilterSql({ ...filter, from: null, to: null }, p, '', { tags: false });
  if (filter.from) conds.push(`day >= ${p.bind(ts(filter.from))}`);
  if (filter.to) conds.push(`day < ${p.bind(ts(filter.to))}`);
  const tags = tagKeys.length ? `OR (kind = 'TAG' AND tag IN (${p.list(tagKeys)}))` : '';
  const rows = await db.query<{ kind: string; tag: string | null; value: string | null; n: bigint }>(
    `WITH v AS (SELECT * FROM attempt_values ${where(conds)})
     SELECT kind, tag, value, sum(n) AS n FROM v WHERE kind IN ('TOTAL', 'WORKER', 'HARDWARE', 'SUITE') ${tags}
     GROUP BY ALL
     UNION ALL SELECT 'BRANCH', NULL, branch, sum(n) FROM v WHERE kind = 'TOTAL' AND branch IS NOT NULL GROUP BY branch`,
    p.values,
  );
  let attempts = 0;
  const baseline: DimensionValueCount[] = [];
  for (const r of rows) {
    const n = toNumber(r.n);
    if (r.kind === 'TOTAL') attempts = n;
    else if (r.kind === 'TAG') baseline.push({ dimension: null, tag: r.tag, value: r.value!, n });
    else baseline.push({ dimension: r.kind as Dimension, tag: null, value: r.value!, n });
  }
  return { attempts, baseline };
}

/** One grouping-sets scan of the slice's results that ran. */
async function countsFromResults(
  db: Database,
  filter: ResultFilter,
  tagKeys: readonly string[],
): Promise<SliceValueCounts> {
  const p = new Params();
  const tags = tagKeys.map((k, i) => `tags[${p.bind(k)}] AS t${i}`);
  const cols = [...PATTERN_DIMENSIONS.map(([, c]) => c), ...tagKeys.map((_, i) => `t${i}`)];
  const rows = await db.query(
    `SELECT ${cols.map((c) => `grouping(${c}) = 0 AS g_${c}`).join(', ')}, ${cols.join(', ')}, count(*) AS n
     FROM (SELECT ${[...PATTERN_DIMENSIONS.map(([, c]) => c), ...tags].join(', ')} FROM results ${where([...resultFilterSql(filter, p), "status <> 'SKIPPED'"])})
     GROUP BY GROUPING SETS ((), ${cols.map((c) => `(${c})`).join(', ')})`,
    p.values,
  );
  let attempts = 0;
  const baseline: DimensionValueCount[] = [];
  for (const r of rows) {
    const n = toNumber(r['n']);
    const i = cols.findIndex((c) => r[`g_${c}`] === true);
    if (i < 0) {
      attempts = n;
      continue;
    }
    const value = r[cols[i]!];
    if (value === null || value === undefined) continue;
    const dim = PATTERN_DIMENSIONS[i];
    baseline.push(
      dim
        ? { dimension: dim[0], tag: null, value: String(value), n }
        : { dimension: null, tag: tagKeys[i - PATTERN_DIMENSIONS.length]!, value: String(value), n },
    );
  }
  return { attempts, baseline };
}
