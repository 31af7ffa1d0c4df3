/**
 * `node --import tsx bench/first-pages.ts [--runs 200]`: cold latency of the first pages
 * people open (the contract's ResultsSlice, Tests, TestDetail, FailurePatterns and
 * CompareRuns, and the backward and count-free variants of the first two) over HTTP on the
 * reference set (5,000 tests × `--runs` runs per project; 200 is the quick 1M-result set,
 * 2000 the full 10M), each next to the same answer's plain SQL run straight on DuckDB
 * (first-pages-sql.ts). Assay's caches are cleared before every request. A measurement,
 * never a test: it prints p50 and p95 per page and the ratio of the p50s.
 */
import { pathToFileURL } from 'node:url';
import { createApp, type App } from '../src/server/app.ts';
import { PAGE_SQL, type PageIds } from './first-pages-sql.ts';
import {
  GqlClient,
  dig,
  loadContract,
  progress,
  summarise,
  timed,
  type JsonObject,
  type Summary,
} from './lib.ts';
import { engineTime } from './queries-duckdb.ts';
import { ensureReferenceSetInChild } from './reference.ts';
import { GOALS } from './run-figures.ts';
import { type Figure, markdownTable } from './report.ts';

/** Variants outside the contract: the same pages without totalCount, and paged backwards. */
const EXTRA = `
query ResultsNoCount($first: Int) { results(first: $first, orderBy: { field: STARTED_AT, direction: DESC }) {
  pageInfo { hasNextPage endCursor } edges { cursor node {
    id status durationMs attempt startedAt worker hardware message tags metrics { name value unit }
    test { id name suite className } run { id project branch commit } } } } }
query TestsNoCount($first: Int) { tests(first: $first, orderBy: { field: PASS_RATE, direction: ASC }) {
  edges { node { id name suite stats { executions passRate flakyRate durationP95 } } } } }
query ResultsLast($last: Int) { results(last: $last) { pageInfo { hasPreviousPage startCursor } edges { node { id startedAt } } } }
`;

/** The pages the goal is for (the variants are measured beside them). */
const GOAL_PAGES = new Set(['ResultsSlice', 'Tests', 'TestDetail', 'FailurePatterns', 'CompareRuns']);

export interface FirstPage {
  readonly operation: string;
  readonly cold: Summary;
  /** The same answer's SQL straight on DuckDB. */
  readonly duckdb: Summary;
  /** Assay's cold p50 ÷ DuckDB's p50. */
  readonly ratioP50: number;
}

/** The TestDetail test (the Tests page's first) and the api project's last two runs (a pull-request check). */
async function pageIds(client: GqlClient, app: App): Promise<PageIds> {
  const tests = await client.post('Tests', client.body('Tests', { first: 50 }));
  const testId = dig(tests, 'tests', 'edges', 0, 'node', 'id');
  if (typeof testId !== 'string') throw new Error('Tests returned no test id');
  const [head, base] = await app.store.db.query<{ id: string }>(
    "SELECT id FROM runs WHERE project = 'api' ORDER BY started_at DESC, seq DESC LIMIT 2",
  );
  if (!head || !base) throw new Error('the reference set has fewer than two api runs for CompareRuns');
  return { testId, base: base.id, head: head.id };
}

/** `reps` cold samples of `fn` after one unmeasured call (which loads the columns into DuckDB's buffers). */
async function coldLoop(reps: number, fn: () => Promise<unknown>, before?: () => void): Promise<Summary> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    before?.();
    samples.push((await timed(fn)).ms);
  }
  return summarise(samples);
}

/** Each first page, cold through the gateway and as plain SQL on DuckDB, on the reference set at `path`. */
export async function benchFirstPages(path: string, reps = 15): Promise<FirstPage[]> {
  const app = await createApp({ db: path, port: 0, logLevel: 'silent' });
  try {
    const url = await app.listen();
    const contract = loadContract();
    const extra = { text: EXTRA, operations: new Set(['ResultsNoCount', 'TestsNoCount', 'ResultsLast']) };
    const client = new GqlClient(url, contract);
    const extraClient = new GqlClient(url, extra);
    const ids = await pageIds(client, app);
    const plan: [GqlClient, string, JsonObject][] = [
      [client, 'ResultsSlice', { first: 100 }],
      [extraClient, 'ResultsNoCount', { first: 100 }],
      [extraClient, 'ResultsLast', { last: 50 }],
      [client, 'Tests', { first: 50 }],
      [extraClient, 'TestsNoCount', { first: 50 }],
      [client, 'TestDetail', { id: ids.testId }],
      [client, 'FailurePatterns', { filter: { project: ['web'] } }],
      [client, 'CompareRuns', { base: ids.base, head: ids.head }],
    ];
    const out: FirstPage[] = [];
    for (const [c, operation, variables] of plan) {
      const body = c.body(operation, variables);
      const cold = await coldLoop(
        reps,
        () => c.post(operation, body),
        () => {
          app.cache.clear();
          app.responses.clear();
        },
      );
      const sql = PAGE_SQL[operation]!;
      const duckdb = await coldLoop(reps, () => engineTime(app.store.db, sql.sql, sql.params(ids)));
      const page = { operation, cold, duckdb, ratioP50: Math.round((cold.p50 / duckdb.p50) * 100) / 100 };
      progress(
        `  ${operation.padEnd(16)} cold p50 ${cold.p50} ms, p95 ${cold.p95} ms; DuckDB p50 ${duckdb.p50} ms (${page.ratioP50}×)`,
      );
      out.push(page);
    }
    return out;
  } finally {
    await app.close();
  }
}

/** Per page: the cold p50 / p95 (with the goal for the five contract pages), DuckDB's p50 and the ratio. */
export function firstPageFigures(pages: readonly FirstPage[]): Figure[] {
  return pages.flatMap((p) => [
    {
      figure: `first page ${p.operation} cold p50 / p95`,
      value: p.cold.p50,
      display: `${p.cold.p50.toFixed(1)} / ${p.cold.p95.toFixed(1)}`,
      unit: 'ms',
      goal: GOAL_PAGES.has(p.operation) ? { op: '<=' as const, value: GOALS.firstPageMs } : null,
    },
    {
      figure: `first page ${p.operation}: the same answer's SQL on DuckDB p50, and Assay ÷ DuckDB`,
      value: p.ratioP50,
      display: `${p.duckdb.p50.toFixed(1)} ms, ${p.ratioP50}×`,
      unit: '',
      goal: null,
    },
  ]);
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 200;
  const reference = await ensureReferenceSetInChild({ tests: 5_000, runs, seed: 42 });
  progress(`reference set: ${reference.results.toLocaleString('en-US')} results at ${reference.path}`);
  process.stdout.write(`${markdownTable(firstPageFigures(await benchFirstPages(reference.path)))}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
