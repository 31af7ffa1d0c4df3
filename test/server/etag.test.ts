import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { INGEST, data, testApp } from '../support/app.ts';
import { RUN_A, RUN_B } from '../support/fixtures.ts';
import { postQuery, rawRequest } from '../support/raw-http.ts';

const RUNS = '{ runs(first: 10) { totalCount edges { node { id project } } } }';
const getUrl = (url: string, query: string): string => `${url}?query=${encodeURIComponent(query)}`;
const ACCEPT = { accept: 'application/json' };

describe('ETags and revalidation on a real server', () => {
  let app: App;
  let url: string;
  let base: string;
  beforeAll(async () => {
    app = await testApp();
    await data(app, INGEST, { input: RUN_A });
    url = await app.listen();
    base = url.replace(/\/graphql$/, '');
  });
  afterAll(() => app.close());

  it('tags a cached GET query, answers its If-None-Match with 304 and no body, until an ingest', async () => {
    const first = await rawRequest(getUrl(url, RUNS), { headers: ACCEPT });
    expect(first.status).toBe(200);
    const tag = first.headers.etag as string;
    // Strong (no W/): 22 base64url characters of a hash.
    expect(tag).toMatch(/^"[\w-]{22}"$/);
    expect(first.headers['cache-control']).toBe('private, max-age=0, must-revalidate');
    expect(JSON.parse(first.text).data.runs.totalCount).toBe(1);

    const again = await rawRequest(getUrl(url, RUNS), { headers: { ...ACCEPT, 'if-none-match': tag } });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers.etag).toBe(tag);

    const other = await rawRequest(getUrl(url, RUNS), {
      headers: { ...ACCEPT, 'if-none-match': '"not-this-one"' },
    });
    expect(other.status).toBe(200);
    expect(other.headers.etag).toBe(tag);
    expect(other.text).toBe(first.text);

    await data(app, INGEST, { input: RUN_B });
    const fresh = await rawRequest(getUrl(url, RUNS), { headers: { ...ACCEPT, 'if-none-match': tag } });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).toMatch(/^"[\w-]{22}"$/);
    expect(fresh.headers.etag).not.toBe(tag);
    expect(JSON.parse(fresh.text).data.runs.totalCount).toBe(2);
  });

  it('tags each coding apart, and any coding of the tag revalidates', async () => {
    const page = 'results(first: 50) { edges { node { id status durationMs startedAt tags } } }';
    const q = `{ a: ${page} b: ${page} }`;
    const plain = await rawRequest(getUrl(url, q), { headers: ACCEPT });
    const br = await rawRequest(getUrl(url, q), { headers: { ...ACCEPT, 'accept-encoding': 'br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.etag).toBe(String(plain.headers.etag).replace(/"$/, '-br"'));
    expect(br.text).toBe(plain.text);
    const revalidated = await rawRequest(getUrl(url, q), {
      headers: { ...ACCEPT, 'accept-encoding': 'gzip', 'if-none-match': String(br.headers.etag) },
    });
    expect(revalidated.status).toBe(304);
  });

  it('never tags or 304s a POST, a mutation, or an answer the cache does not keep', async () => {
    const post = await postQuery(url, RUNS);
    expect(post.headers.etag).toBeUndefined();
    const tag = (await rawRequest(getUrl(url, RUNS), { headers: ACCEPT })).headers.etag as string;
    const posted = await postQuery(url, RUNS, { 'if-none-match': tag });
    expect(posted.status).toBe(200);
    expect(posted.headers.etag).toBeUndefined();

    const mutation = await postQuery(url, 'mutation { deleteAlertRule(id: "none") }', {
      'if-none-match': '*',
    });
    expect(mutation.status).not.toBe(304);
    expect(mutation.headers.etag).toBeUndefined();

    // gateway's counters are never cached: no tag, and If-None-Match: * changes nothing.
    const live = await rawRequest(getUrl(url, '{ gateway { dataVersion } }'), {
      headers: { ...ACCEPT, 'if-none-match': '*' },
    });
    expect(live.status).toBe(200);
    expect(live.headers.etag).toBeUndefined();
  });

  it('tags the dashboard files for revalidation and sends them compressed from the build', async () => {
    for (const path of ['/', '/dashboard/app.js', '/dashboard/app.css']) {
      const plain = await rawRequest(`${base}${path}`);
      expect(plain.status).toBe(200);
      expect(plain.headers['cache-control']).toBe('no-cache');
      const tag = String(plain.headers.etag);
      expect(tag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
      const again = await rawRequest(`${base}${path}`, { headers: { 'if-none-match': tag } });
      expect(again.status).toBe(304);
      expect(again.bytes.length).toBe(0);
    }
    const plain = await rawRequest(`${base}/dashboard/app.js`);
    for (const coding of ['br', 'gzip']) {
      const r = await rawRequest(`${base}/dashboard/app.js`, { headers: { 'accept-encoding': coding } });
      expect(r.headers['content-encoding']).toBe(coding);
      expect(r.headers.vary).toBe('Accept-Encoding');
      expect(r.bytes.length).toBeLessThan(plain.bytes.length / 2);
      expect(r.text).toBe(plain.text);
    }
  });
});
