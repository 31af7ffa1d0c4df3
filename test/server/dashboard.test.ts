import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { testApp } from '../support/app.ts';

// The dashboard's static files at / and /dashboard/*, next to GraphQL on one port.
let app: App;
let off: App;
let base: string;
let offBase: string;

/** A raw GET (fetch would normalise `..` away before sending it). */
function get(
  root: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string | undefined; location: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(root);
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'],
          location: res.headers.location,
          body,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  app = await testApp();
  base = (await app.listen()).replace(/\/graphql$/, '');
  off = await testApp({ dashboard: false });
  offBase = (await off.listen()).replace(/\/graphql$/, '');
});
afterAll(async () => {
  await app.close();
  await off.close();
});

describe('the dashboard is served by the gateway', () => {
  it('answers / with the page, which loads its script and styles from /dashboard/', async () => {
    const r = await get(base, '/');
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('src="/dashboard/app.js"');
    expect(r.body).toContain('href="/dashboard/app.css"');
  });

  it('serves the assets with their content types', async () => {
    const js = await get(base, '/dashboard/app.js');
    expect(js.status).toBe(200);
    expect(js.type).toBe('text/javascript; charset=utf-8');
    expect(js.body.length).toBeGreaterThan(1000);
    expect((await get(base, '/dashboard/app.css')).type).toBe('text/css; charset=utf-8');
  });

  it('serves nothing outside its folder, however the path is spelled', async () => {
    for (const path of [
      '/dashboard/../package.json',
      '/dashboard/..%2F..%2Fpackage.json',
      '/dashboard/%2e%2e/build.ts',
      '/dashboard/..\\build.ts',
      '/dashboard/app.js%00.css',
      '/dashboard/',
      '/dashboard/missing.js',
      '/dashboard/.hidden.js',
    ]) {
      const r = await get(base, path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('"name": "assay"');
    }
  });

  it('keeps GraphQL and GraphiQL at /graphql', async () => {
    const page = await get(base, '/graphql', { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.body.toLowerCase()).toContain('graphiql');
  });

  it('redirects / to GraphiQL when the dashboard is turned off', async () => {
    const r = await get(offBase, '/');
    expect(r.status).toBe(302);
    expect(r.location).toBe('/graphql');
    expect((await get(offBase, '/dashboard/app.js')).status).toBe(404);
  });
});
