import type { Database } from './database.ts';
import { Params, resultFilterSql, where } from './sql.ts';
import { withPattern } from './failure-masks.ts';
import { PATTERN_DIMENSIONS, sliceValueCounts } from './failure-baseline.ts';
import { toNumber } from './values.ts';
import type {
  DimensionValueCount,
  FailurePatternCounts,
  FailurePatternSlice,
} from '../domain/failure-patterns.ts';
import { asTestId } from '../domain/ids.ts';
import type { Dimension, ResultFilter } from '../domain/types.ts';

/** Test ids listed per pattern, most occurrences first. */
const MAX_TEST_IDS = 100;

interface UnionRow {
  kind: string;
  fp: string;
  pattern: string;
  k: string | null;
  v: string | null;
  n: bigint;
  first_seen: Date | null;
  last_seen: Date | null;
  sample: string | null;
  tests: bigint | null;
  [key: string]: unknown;
}

/** The slice's failed or errored attempts with a message, with their pattern: from `failure_attempts`, or `plain`, masked from the results. */
function failedAttempts(filter: ResultFilter, p: Params, plain: boolean): string {
  const cols = 'test_id, started_at, message, worker, hardware, branch, suite, tags';
  const conds = resultFilterSql(filter, p);
  if (!plain) return `SELECT ${cols}, pattern FROM failure_attempts ${where(conds)}`;
  const failed = [...conds, "status IN ('FAILED', 'ERROR')", "coalesce(message, '') <> ''"];
  return withPattern(`SELECT ${cols} FROM results ${where(failed)}`);
}

/**
 * The `first` most frequent failure patterns of a slice: failed or errored
 * attempts with a message, grouped by their masked message (`withPattern`),
 * with occurrences, distinct tests, first and last seen, the first message as
 * sample, the tests and days, and the occurrences per worker, hardware,
 * branch, suite and tag value. One statement for the patterns, over
 * `failure_attempts` (masked when written), one for the slice's attempts per
 * value of the dimensions and tags they touch (failure-baseline.ts). `plain`
 * reads neither rollup: the masks run on the slice's results, and the
 * baseline scans them (what the rollups must equal).
 */
export async function queryFailurePatterns(
  db: Database,
  filter: ResultFilter,
  first: number,
  { plain = false } = {},
): Promise<FailurePatternSlice> {
  const p = new Params();
  const source = failedAttempts(filter, p, plain);
  const limit = p.bind(first);
  const byDim = PATTERN_DIMENSIONS.map(
    ([d, c]) =>
      `SELECT '${d}', fp, NULL, NULL, ${c}, count(*), NULL, NULL, NULL, NULL FROM ff WHERE ${c} IS NOT NULL GROUP BY fp, ${c}`,
  ).join('\nUNION ALL ');
  const rows = await db.query<UnionRow>(
    `WITH f AS MATERIALIZED (${source}),
     top AS MATERIALIZED (
       SELECT substr(md5(pattern), 1, 16) AS fp, pattern, count(*) AS n, count(DISTINCT test_id) AS tests,
              min(started_at) AS first_seen, max(started_at) AS last_seen, arg_min(message, started_at) AS sample
       FROM f GROUP BY pattern ORDER BY n DESC, pattern LIMIT ${limit}
     ),
     ff AS MATERIALIZED (SELECT f.*, top.fp FROM f JOIN top USING (pattern))
     SELECT 'top' AS kind, fp, pattern, NULL AS k, NULL AS v, n, first_seen, last_seen, sample, tests FROM top
     UNION ALL SELECT 'test', fp, NULL, test_id, NULL, count(*), NULL, NULL, NULL, NULL FROM ff GROUP BY fp, test_id
     UNION ALL SELECT 'day', fp, NULL, strftime(date_trunc('day', started_at), '%Y-%m-%dT00:00:00Z'), NULL, count(*), NULL, NULL, NULL, NULL FROM ff GROUP BY ALL
     UNION ALL ${byDim}
     UNION ALL SELECT 'tag', fp, NULL, e.key, e.value, count(*), NULL, NULL, NULL, NULL
       FROM (SELECT fp, unnest(map_entries(tags)) AS e FROM ff) GROUP BY ALL`,
    p.values,
  );

  const patterns = new Map<
    string,
    { top: UnionRow; tests: [string, number][]; days: [string, number][]; values: DimensionValueCount[] }
  >();
  for (const r of rows) if (r.kind === 'top') patterns.set(r.fp, { top: r, tests: [], days: [], values: [] });
  const tagKeys = new Set<string>();
  for (const r of rows) {
    const pat = patterns.get(r.fp);
    if (!pat || r.kind === 'top') continue;
    const n = toNumber(r.n);
    if (r.kind === 'test') pat.tests.push([r.k!, n]);
    else if (r.kind === 'day') pat.days.push([r.k!, n]);
    else if (r.kind === 'tag') {
      tagKeys.add(r.k!);
      pat.values.push({ dimension: null, tag: r.k, value: r.v!, n });
    } else pat.values.push({ dimension: r.kind as Dimension, tag: null, value: r.v!, n });
  }
  const out: FailurePatternCounts[] = [...patterns.values()]
    .map(({ top, tests, days, values }) => ({
      fingerprint: top.fp,
      pattern: top.pattern,
      sample: top.sample!,
      occurrences: toNumber(top.n),
      tests: toNumber(top.tests),
      testIds: tests
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, MAX_TEST_IDS)
        .map(([id]) => asTestId(id)),
      firstSeen: top.first_seen!,
      lastSeen: top.last_seen!,
      daily: days
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([day, occurrences]) => ({ day: new Date(day), occurrences })),
      values,
    }))
    .sort((a, b) => b.occurrences - a.occurrences || (a.pattern < b.pattern ? -1 : 1));

  const { attempts, baseline } = out.length
    ? await sliceValueCounts(db, filter, [...tagKeys].sort(), { plain })
    : { attempts: 0, baseline: [] };
  return { patterns: out, attempts, baseline };
}
