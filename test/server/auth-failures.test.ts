import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { TEST_NOW, testApp, type GqlResponse } from '../support/app.ts';

// Failed authentications per client address, on the app's injected clock: three a minute here,
// so one more comes back every 20 s.

let t = TEST_NOW.getTime();
let app: App;
let url: string;
let good = '';
beforeAll(async () => {
  app = await testApp({ auth: true, rateLimit: null, authFailuresPerMinute: 3, now: () => new Date(t) });
  url = await app.listen();
  good = (await app.keys.create({ name: 'ci', scope: 'read', projects: null })).secret;
});
afterAll(() => app.close());

async function send(authorization: string | null) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
    body: JSON.stringify({ query: '{ gateway { version } }' }),
  });
  const body = (await res.json()) as GqlResponse;
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    code: body.errors?.[0]?.extensions?.code,
  };
}

describe('failed authentications', () => {
  it('answers 429 with Retry-After past N failures a minute from an address, lets good keys through, and refills with time', async () => {
    expect(await send('Bearer assay_000000000000_guess1')).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(await send(null)).toMatchObject({ status: 401 });
    expect(await send('Basic abc')).toMatchObject({ status: 401 });
    expect(await send('Bearer assay_000000000000_guess2')).toEqual({
      status: 429,
      retryAfter: '20',
      code: 'RATE_LIMITED',
    });
    // A client with a good key from the same address is not held back by the failures.
    expect(await send(`Bearer ${good}`)).toMatchObject({ status: 200, code: undefined });
    t += 10_000;
    expect(await send(null)).toMatchObject({ status: 429, retryAfter: '10' });
    t += 10_000;
    expect(await send('Bearer assay_000000000000_guess3')).toMatchObject({ status: 401 });
    expect(await send('Bearer assay_000000000000_guess4')).toMatchObject({ status: 429, retryAfter: '20' });
  });

  it('counts graphql-ws connections with a bad key in the same bucket, closing past it with 4429', async () => {
    // A minute later the bucket is full again: three failures.
    t += 60_000;
    const connect = (apiKey: string) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
        socket.on('open', () =>
          socket.send(JSON.stringify({ type: 'connection_init', payload: { apiKey } })),
        );
        socket.on('close', (code) => resolve(code));
        socket.on('error', reject);
      });
    for (let i = 0; i < 3; i++) expect(await connect(`assay_000000000000_ws${i}`)).toBe(4401);
    expect(await connect('assay_000000000000_ws3')).toBe(4429);
    expect(await send('Bearer assay_000000000000_http')).toMatchObject({ status: 429, retryAfter: '20' });
  });
});
