import { afterEach, describe, expect, it } from 'vitest';
import { createQueryCache, normalise } from '../../src/cache/query-cache.ts';
import type { App } from '../../src/server/app.ts';
import { INGEST, data, testApp } from '../support/app.ts';
import { RUN_A, RUN_B } from '../support/fixtures.ts';

describe('query cache', () => {
  it('shares one computation among concurrent misses for the same key', async () => {
    const cache = createQueryCache({ dataVersion: () => 1 });
    let computed = 0;
    const compute = async () => {
      computed++;
      await new Promise((r) => setTimeout(r, 5));
      return { answer: 42 };
    };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => cache.get('metrics', { a: 1 }, compute)),
    );
    expect(computed).toBe(1);
    expect(answers.every((a) => a.answer === 42)).toBe(true);
    expect(cache.stats()).toMatchObject({ misses: 1, hits: 4, entries: 1 });
  });

  it('keys on dataVersion, so a new version recomputes', async () => {
    let version = 1;
    const cache = createQueryCache({ dataVersion: () => version });
    let computed = 0;
    const compute = async () => ++computed;
    expect(await cache.get('k', {}, compute)).toBe(1);
    expect(await cache.get('k', {}, compute)).toBe(1);
    version = 2;
    expect(await cache.get('k', {}, compute)).toBe(2);
  });

  it('recomputes for a request that asks afresh, keeps that answer, and joins one being computed', async () => {
    const cache = createQueryCache({ dataVersion: () => 1 });
    let computed = 0;
    const compute = async () => {
      await new Promise((r) => setTimeout(r, 5));
      return ++computed;
    };
    expect(await cache.get('k', {}, compute)).toBe(1);
    expect(await cache.refreshing().get('k', {}, compute)).toBe(2);
    expect(await cache.get('k', {}, compute)).toBe(2);
    // A plain get and a fresh one asked together share the fresh computation.
    const [fresh, plain] = await Promise.all([
      cache.refreshing().get('k', {}, compute),
      cache.get('k', {}, compute),
    ]);
    expect([fresh, plain, computed]).toEqual([3, 3, 3]);
  });

  it('treats arguments with keys in another order as the same key', () => {
    expect(normalise({ b: 1, a: { d: [1, 2], c: undefined, e: new Date(0) } })).toBe(
      normalise({ a: { e: new Date(0), d: [1, 2] }, b: 1 }),
    );
  });

  it('expires entries after the TTL on an injected clock, without sleeping', async () => {
    let now = 1_000;
    const cache = createQueryCache({ dataVersion: () => 1, ttlMs: 100, now: () => now });
    let computed = 0;
    const compute = async () => ++computed;
    await cache.get('k', {}, compute);
    now += 50;
    expect(await cache.get('k', {}, compute)).toBe(1);
    now += 100;
    expect(await cache.get('k', {}, compute)).toBe(2);
  });

  it('stays within its entry bound', async () => {
    const cache = createQueryCache({ dataVersion: () => 1, maxEntries: 3 });
    for (let i = 0; i < 10; i++) await cache.get('k', { i }, async () => i);
    expect(cache.stats().entries).toBe(3);
  });

  it('stays within its byte bound', async () => {
    const cache = createQueryCache({ dataVersion: () => 1, maxBytes: 10_000 });
    for (let i = 0; i < 20; i++) await cache.get('k', { i }, async () => 'x'.repeat(1000));
    expect(cache.stats().bytes).toBeLessThanOrEqual(10_000);
    expect(cache.stats().entries).toBeLessThan(20);
  });
});

describe('the cache in the gateway', () => {
  let app: App;
  afterEach(async () => app?.close());

  it('answers a repeated query from the cache until an ingest changes the data', async () => {
    app = await testApp();
    await data(app, INGEST, { input: RUN_A });
    // What the ingest runs after its reply (alert rules, quarantine's review) is done before statements are counted.
    await app.alerts.idle();
    const q = '{ metrics(groupBy: [PROJECT]) { executions } }';
    const gateway = async () =>
      (
        await data<{
          gateway: { cache: { hits: number; misses: number; hitRatio: number }; db: { statements: number } };
        }>(app, '{ gateway { cache { hits misses hitRatio entries } db { statements } } }')
      ).gateway;

    expect(await data(app, q)).toEqual({ metrics: [{ executions: 5 }] });
    const before = await gateway();
    // The same query spelled differently: the response cache (keyed by the request's bytes) misses, the query cache hits.
    expect(await data(app, q.replace('{ executions }', '{  executions  }'))).toEqual({
      metrics: [{ executions: 5 }],
    });
    const after = await gateway();
    expect(after.cache.hits).toBe(before.cache.hits + 1);
    // The cached answer ran no SQL: only the gateway query's own count statement ran in between.
    expect(after.db.statements - before.db.statements).toBe(1);

    await data(app, INGEST, { input: RUN_B });
    expect(await data(app, q)).toEqual({ metrics: [{ executions: 10 }] });
    expect((await gateway()).cache.misses).toBe(after.cache.misses + 1);
  });

  it('reads the series once for a trend and anomalies of the same slice, asked at the same time', async () => {
    app = await testApp();
    await data(app, INGEST, { input: RUN_A });
    await data(app, INGEST, { input: RUN_B });
    await app.alerts.idle();
    const gateway = async () =>
      (
        await data<{ gateway: { cache: { hits: number; misses: number }; db: { statements: number } } }>(
          app,
          '{ gateway { cache { hits misses } db { statements } } }',
        )
      ).gateway;
    const args = 'series: { measure: PASS_RATE }, bucket: DAY';
    const before = await gateway();
    const [trend, anomalies] = await Promise.all([
      data<{ trends: { points: { value: number }[] }[] }>(app, `{ trends(${args}) { points { value } } }`),
      data<{ anomalies: unknown[] }>(app, `{ anomalies(${args}) { t } }`),
    ]);
    expect(trend.trends[0]!.points.length).toBeGreaterThan(0);
    expect(anomalies.anomalies).toEqual([]);
    const after = await gateway();
    // One series statement, then the count statement of the second gateway query.
    expect(after.db.statements - before.db.statements).toBe(2);
    // Misses: the trend, the anomalies and the series read once; the other analysis got that read (a hit).
    expect(after.cache.misses - before.cache.misses).toBe(3);
    expect(after.cache.hits - before.cache.hits).toBe(1);
  });
});
