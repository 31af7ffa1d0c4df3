import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { negotiateEncoding } from '../../src/server/compression.ts';
import type { App } from '../../src/server/app.ts';
import { INGEST, data, testApp } from '../support/app.ts';
import { RUN_A } from '../support/fixtures.ts';
import { postQuery, rawRequest } from '../support/raw-http.ts';

// Three copies of RUN_A's results: a cacheable answer of a few kilobytes.
const PAGE =
  'results(first: 50) { edges { node { id attempt status durationMs startedAt worker hardware tags test { suite className name } } } }';
const BIG = `{ a: ${PAGE} b: ${PAGE} c: ${PAGE} }`;
const SMALL = '{ runs(first: 1) { totalCount } }';

describe('content codings asked for by Accept-Encoding', () => {
  it('prefers the higher q-value, br on a tie, and `*` for any coding not named', () => {
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('gzip;q=1.0, br;q=0.5')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip;q=0')).toBeNull();
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('*;q=0.5, br;q=0')).toBe('gzip');
    expect(negotiateEncoding('identity')).toBeNull();
    expect(negotiateEncoding('')).toBeNull();
    expect(negotiateEncoding(undefined)).toBeNull();
  });
});

describe('compressed answers from a real server', () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    app = await testApp();
    await data(app, INGEST, { input: RUN_A });
    url = await app.listen();
  });
  afterAll(() => app.close());

  it('sends a large JSON answer br or gzip, each decompressing to the identity answer', async () => {
    const identity = await postQuery(url, BIG);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toContain('Accept-Encoding');
    const answer = JSON.parse(identity.text);
    expect(answer.data.a.edges).toHaveLength(6);
    expect(identity.bytes.length).toBeGreaterThan(1024);
    // A miss (executed), then a hit (the response cache's own compressed copy): both decompress the same.
    for (const coding of ['br', 'gzip', 'br', 'gzip'] as const) {
      const r = await postQuery(url, BIG, { 'accept-encoding': coding });
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBe(coding);
      expect(r.headers.vary).toContain('Accept-Encoding');
      expect(r.bytes.length).toBeLessThan(identity.bytes.length);
      expect(Number(r.headers['content-length'])).toBe(r.bytes.length);
      expect(JSON.parse(r.text)).toEqual(answer);
    }
  });

  it('compresses answers that are not cached (introspection) the same way', async () => {
    const q = '{ __schema { types { name } } }';
    const identity = await postQuery(url, q);
    const r = await postQuery(url, q, { 'accept-encoding': 'gzip' });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['x-assay-cache']).toBeUndefined();
    expect(JSON.parse(r.text)).toEqual(JSON.parse(identity.text));
  });

  it('sends answers under 1 KiB as they are', async () => {
    const r = await postQuery(url, SMALL, { 'accept-encoding': 'br, gzip' });
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(r.text)).toEqual({ data: { runs: { totalCount: 1 } } });
  });

  it('serves GraphiQL compressed, far under its 9 MB, and revalidates it by ETag', async () => {
    const r = await rawRequest(url, { headers: { accept: 'text/html', 'accept-encoding': 'br' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.bytes.length).toBeLessThan(2_500_000);
    expect(r.text).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(r.text.length).toBeGreaterThan(8_000_000);
    const tag = String(r.headers.etag);
    const again = await rawRequest(url, { headers: { accept: 'text/html', 'if-none-match': tag } });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
  });

  it('never compresses an event stream', async () => {
    const head = await new Promise<{ type: string | undefined; coding: string | undefined; first: string }>(
      (resolve, reject) => {
        const req = request(
          url,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'text/event-stream',
              'accept-encoding': 'br, gzip',
            },
          },
          (res) => {
            res.once('data', (chunk: Buffer) => {
              resolve({
                type: res.headers['content-type'],
                coding: res.headers['content-encoding'],
                first: chunk.toString('utf8'),
              });
              req.destroy();
            });
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ query: 'subscription { ingested { accepted } }' }));
      },
    );
    expect(head.type).toContain('text/event-stream');
    // Yoga marks its streams `none` (so proxies do not buffer them); never br or gzip.
    expect(head.coding ?? 'none').toBe('none');
    // Plain text on the wire: SSE's comment or event lines, not compressed bytes.
    expect(head.first).toMatch(/^(:|event:|data:)/);
  });
});
