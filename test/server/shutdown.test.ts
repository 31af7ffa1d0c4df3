import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { TEST_NOW } from '../support/app.ts';

describe('graceful shutdown', () => {
  it('ends an open SSE subscription with a complete event, and closes', async () => {
    const app = await createApp({
      db: ':memory:',
      port: 0,
      logLevel: 'silent',
      readers: 2,
      now: () => TEST_NOW,
    });
    const url = await app.listen();
    const res = await fetch(url, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'subscription { alerts { id } }' }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = res.text();
    // The stream is open once the subscription is counted.
    await expect.poll(async () => app.pubsub.stats().subscribers.alert).toBe(1);
    await app.close();
    // Before, the stream was cut after a 5 s grace with no complete, and reading it failed.
    expect(await text).toMatch(/event: complete/);
  });
});
