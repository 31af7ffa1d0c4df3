import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { INGEST, data, testApp } from '../support/app.ts';
import { RUN_A, RUN_B, bigRun } from '../support/fixtures.ts';

let app: App;
beforeAll(async () => {
  app = await testApp();
  await data(app, INGEST, { input: bigRun('load-1', 600) });
  await data(app, INGEST, { input: RUN_A });
  await data(app, INGEST, { input: RUN_B });
  // What each ingest runs after it (alert rules, quarantine's review) is done before statements are counted.
  await app.alerts.idle();
});
afterAll(async () => app.close());

/** SQL statements one operation costs with a cold cross-request cache. */
async function cost(query: string): Promise<number> {
  app.cache.clear();
  const before = app.store.statements;
  await data(app, query);
  return app.store.statements - before;
}

describe('per-request DataLoaders', () => {
  it('costs the same number of statements for a page of 10 or 500 results with their tests, runs and stats', async () => {
    const page = (n: number) =>
      `{ results(first: ${n}) { edges { node { id test { id name suite stats { passRate } } run { id project } } } } }`;
    const small = await cost(page(10));
    const large = await cost(page(500));
    // page + one batch each for tests, runs and stats (totalCount is not selected, so not counted).
    expect(small).toBe(4);
    expect(large).toBe(small);
  });

  it('answers a repeated page from the cross-request cache without SQL', async () => {
    const q = '{ results(first: 200) { edges { node { id test { name stats { passRate } } run { id } } } } }';
    await cost(q);
    const before = app.store.statements;
    await data(app, q);
    expect(app.store.statements - before).toBe(0);
  });

  it('batches tests reached from metrics rows into one look-up', async () => {
    const q = (limit: number) =>
      `{ metrics(groupBy: [TEST], limit: ${limit}) { group { test { name } } executions } }`;
    expect(await cost(q(5))).toBe(2);
    expect(await cost(q(600))).toBe(2);
  });

  it('batches the history of every test on a page into one statement', async () => {
    const q = (n: number) => `{ tests(first: ${n}) { edges { node { id history(last: 3) { status } } } } }`;
    expect(await cost(q(3))).toBe(await cost(q(300)));
  });
});
