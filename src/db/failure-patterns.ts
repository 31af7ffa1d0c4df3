import type { Database } from './database.ts';
import { Params, resultFilterSql, where } from './sql.ts';
import { withPattern } from './failure-masks.ts';
import { toNumber } from './values.ts';
import type {
  DimensionValueCount,
  FailurePatternCounts,
  FailurePatternSlice,
} from '../domain/failure-patterns.ts';
import { asTestId } from '../domain/ids.ts';
import type { Dimension, ResultFilter } from '../domain/types.ts';

/** The dimensions a pattern's occurrences are broken down by, with their columns. */
const PATTERN_DIMENSIONS: readonly (readonly [Dimension, string])[] = [
  ['WORKER', 'worker'],
  ['HARDWARE', 'hardware'],
  ['BRANCH', 'branch'],
  ['SUITE', 'suite'],
];

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

/**
 * The `first` most frequent failure patterns of a slice: failed or errored
 * attempts with a message, grouped by their masked message (`withPattern`),
 * with occurrences, distinct tests, first and last seen, the first message as
 * sample, the tests and days, and the occurrences per worker, hardware,
 * branch, suite and tag value. One statement for the patterns (the masks run
 * once per failed attempt), one for the slice's attempts per value of the
 * dimensions and tags they touch.
 */
export async function queryFailurePatterns(
  db: Database,
  filter: ResultFilter,
  first: number,
): Promise<FailurePatternSlice> {
  const p = new Params();
  const conds = [
    ...resultFilterSql(filter, p),
    "status IN ('FAILED', 'ERROR')",
    "coalesce(message, '') <> ''",
  ];
  const limit = p.bind(first);
  const byDim = PATTERN_DIMENSIONS.map(
    ([d, c]) =>
      `SELECT '${d}', fp, NULL, NULL, ${c}, count(*), NULL, NULL, NULL, NULL FROM ff WHERE ${c} IS NOT NULL GROUP BY fp, ${c}`,
  ).join('\nUNION ALL ');
  const rows = await db.query<UnionRow>(
    `WITH f AS MATERIALIZED (
       ${withPattern(`SELECT test_id, started_at, message, worker, hardware, branch, suite, tags FROM results ${where(conds)}`)}
     ),
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
    ? await sliceValueCounts(db, filter, [...tagKeys].sort())
    : { attempts: 0, baseline: [] };
  return { patterns: out, attempts, baseline };
}

/** Attempts of the slice that ran, in total and per worker, hardware, branch, suite and value of each tag key: one scan. */
async function sliceValueCounts(
  db: Database,
  filter: ResultFilter,
  tagKeys: readonly string[],
): Promise<{ attempts: number; baseline: DimensionValueCount[] }> {
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
