import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { INGEST, data, testApp } from '../support/app.ts';
import { RUN_A } from '../support/fixtures.ts';
import { postQuery, rawRequest } from '../support/raw-http.ts';

const RUNS = '{ runs(first: 10) { totalCount edges { node { id project } } } }';
const getUrl = (url: string, query: string): string => `${url}?query=${encodeURIComponent(query)}`;
const ACCEPT = { accept: 'application/json' };

// A request with `Cache-Control: no-cache` (or, without a Cache-Control, `Pragma: no-cache`) is
// answered afresh: neither the whole-response cache nor the answer cache replays what it holds.
// Each time the store is read is counted on the store itself.
describe('fresh answers on request (Cache-Control: no-cache) on a real server', () => {
  let app: App;
  let url: string;
  let reads: ReturnType<typeof vi.spyOn>;
  beforeAll(async () => {
    app = await testApp();
    await data(app, INGEST, { input: RUN_A });
    url = await app.listen();
  });
  // Spies are put back after each test (vitest.config.ts, restoreMocks).
  beforeEach(() => {
    reads = vi.spyOn(app.store, 'runsPage');
  });
  afterAll(() => app.close());

  it('reads the store again for a no-cache GET, and keeps that answer for the requests after', async () => {
    const first = await rawRequest(getUrl(url, RUNS), { headers: ACCEPT });
    expect(first.status).toBe(200);
    expect(reads).toHaveBeenCalledTimes(1);
    await rawRequest(getUrl(url, RUNS), { headers: ACCEPT });
    expect(reads).toHaveBeenCalledTimes(1);

    const fresh = await rawRequest(getUrl(url, RUNS), {
      headers: { ...ACCEPT, 'cache-control': 'no-cache' },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.text).toBe(first.text);
    expect(reads).toHaveBeenCalledTimes(2);

    // A plain reload (max-age=0) revalidates, which the kept answer does; no new read.
    await rawRequest(getUrl(url, RUNS), { headers: { ...ACCEPT, 'cache-control': 'max-age=0' } });
    await rawRequest(getUrl(url, RUNS), { headers: ACCEPT });
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('reads afresh for a POST with no-cache among other directives, and for Pragma without Cache-Control', async () => {
    await postQuery(url, RUNS);
    expect(reads).toHaveBeenCalledTimes(0);
    await postQuery(url, RUNS, { 'cache-control': 'max-age=0, No-Cache' });
    expect(reads).toHaveBeenCalledTimes(1);
    await postQuery(url, RUNS, { pragma: 'no-cache' });
    expect(reads).toHaveBeenCalledTimes(2);
    // Cache-Control, when present, is what counts (RFC 9111 §5.4).
    await postQuery(url, RUNS, { pragma: 'no-cache', 'cache-control': 'max-age=60' });
    expect(reads).toHaveBeenCalledTimes(2);
  });
});
