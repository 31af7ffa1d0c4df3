/**
 * `node --import tsx bench/first-pages.ts [--runs 200]`: cold latency of the first pages
 * people open (the contract's ResultsSlice, Tests and TestDetail, and their backward and
 * count-free variants) over HTTP on the reference set (5,000 tests × `--runs` runs per
 * project; 200 is the quick 1M-result set). Caches are cleared before every request.
 * A measurement, never a test: it prints p50 and p95 per operation.
 */
import { createApp } from '../src/server/app.ts';
import { GqlClient, dig, loadContract, progress, summarise, timed, type JsonObject } from './lib.ts';
import { ensureReferenceSetInChild } from './reference.ts';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 200;
const reps = 15;

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

async function main(): Promise<void> {
  const reference = await ensureReferenceSetInChild({ tests: 5_000, runs, seed: 42 });
  progress(`reference set: ${reference.results.toLocaleString('en-US')} results at ${reference.path}`);
  const app = await createApp({ db: reference.path, port: 0, logLevel: 'silent' });
  try {
    const url = await app.listen();
    const contract = loadContract();
    const extra = { text: EXTRA, operations: new Set(['ResultsNoCount', 'TestsNoCount', 'ResultsLast']) };
    const client = new GqlClient(url, contract);
    const extraClient = new GqlClient(url, extra);
    const tests = await client.post('Tests', client.body('Tests', { first: 50 }));
    const testId = dig(tests, 'tests', 'edges', 0, 'node', 'id');
    if (typeof testId !== 'string') throw new Error('Tests returned no test id');
    const plan: [GqlClient, string, JsonObject][] = [
      [client, 'ResultsSlice', { first: 100 }],
      [extraClient, 'ResultsNoCount', { first: 100 }],
      [extraClient, 'ResultsLast', { last: 50 }],
      [client, 'Tests', { first: 50 }],
      [extraClient, 'TestsNoCount', { first: 50 }],
      [client, 'TestDetail', { id: testId }],
    ];
    for (const [c, operation, variables] of plan) {
      const body = c.body(operation, variables);
      await c.post(operation, body); // loads the columns into DuckDB's buffers
      const samples: number[] = [];
      for (let i = 0; i < reps; i++) {
        app.cache.clear();
        app.responses.clear();
        samples.push((await timed(() => c.post(operation, body))).ms);
      }
      const s = summarise(samples);
      console.log(`${operation.padEnd(16)} cold p50 ${s.p50} ms, p95 ${s.p95} ms (n ${s.n})`);
    }
  } finally {
    await app.close();
  }
}

await main();
