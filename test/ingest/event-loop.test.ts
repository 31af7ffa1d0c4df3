import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../resolvers/ingest.ts';
import type { ValidBatch } from '../../src/domain/ingest.ts';
import { parseReport } from '../../src/ingest/index.ts';
import type { App } from '../../src/server/app.ts';
import { testApp, TEST_NOW } from '../support/app.ts';

/** A JUnit report of `n` passing test cases (about 90 bytes each). */
function report(n: number): string {
  const cases = Array.from(
    { length: n },
    (_, i) => `<testcase classname="com.acme.Big" name="case number ${i}" time="0.01"/>`,
  );
  return `<testsuite name="big" timestamp="2026-11-01T10:00:00">\n${cases.join('\n')}\n</testsuite>\n`;
}

/** Runs `work` and says whether a setImmediate callback queued just before it ran before it finished. */
async function turnsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const events: string[] = [];
  setImmediate(() => events.push('other work'));
  await work();
  events.push('done');
  return events;
}

let app: App;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.close());

describe('long ingest work lets the event loop turn', () => {
  it('answers other work while a large XML report is parsed', async () => {
    // 5,000 cases: about 450 KB, several of the reader's 64 KiB slices.
    const xml = report(5_000);
    expect(xml.length).toBeGreaterThan(4 * 65_536);
    const events = await turnsDuring(() => parseReport(xml, { project: 'shop' }));
    expect(events).toEqual(['other work', 'done']);
  });

  it('answers other work while a large batch is checked, before it reaches the store', async () => {
    const parsed = await parseReport(report(5_000), { project: 'shop' });
    const order: string[] = [];
    const store = {
      ingest: (batch: ValidBatch) => {
        order.push(`store got ${batch.results.length} rows`);
        return app.store.ingest(batch);
      },
    };
    setImmediate(() => order.push('other work'));
    const outcome = await ingest(
      { store, pubsub: app.pubsub, alerts: app.alerts, now: () => TEST_NOW },
      parsed.input,
    );
    expect(outcome.accepted).toBe(5_000);
    expect(order).toEqual(['other work', 'store got 5000 rows']);
  });
});
