import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/server/app.ts';
import { TEST_NOW, type GqlResponse } from '../support/app.ts';
import { TestRedis } from './redis-server.ts';

// A replica's read-your-writes header must not take a request out of its deadline.
const dir = mkdtempSync(join(tmpdir(), 'assay-replica-deadline-'));
let redis: TestRedis;
let app: App;
let url: string;

beforeAll(async () => {
  redis = await TestRedis.start();
  app = await createApp({
    db: join(dir, 'a.duckdb'),
    redis: redis.url,
    replicaId: 'a',
    port: 0,
    readers: 2,
    logLevel: 'silent',
    requestTimeoutMs: 50,
    now: () => TEST_NOW,
  });
  url = await app.listen();
  // Local rows only (not through the log): enough for a per-test P95 to be a long aggregation.
  await app.store.db.write((tx) =>
    tx.query(`INSERT INTO executions (run_seq, test_id, project, suite, branch, commit_sha, started_at, status, flaky, attempts, duration_ms, total_duration_ms, worker, hardware, message, tags, test_seq, flipped, fail_run, ended_fail_run, evidence, infra)
      SELECT 1, 't' || i, 'web', 's', 'main', NULL, TIMESTAMP '2026-11-01' + to_seconds(i % 86400),
             'PASSED', false, 1, i % 997, i % 997, NULL, NULL, NULL, MAP {}, i, false, NULL, NULL, NULL, false
      FROM range(2000000) t(i)`),
  );
}, 60_000);

afterAll(async () => {
  await app?.close();
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('a replica with x-assay-min-version', () => {
  it('still answers an expensive query past its deadline with 504 TIMEOUT', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-assay-min-version': '0' },
      body: JSON.stringify({
        query: '{ metrics(groupBy: [TEST], bucket: HOUR, limit: 5) { executions p95: duration(stat: P95) } }',
      }),
    });
    expect(res.status).toBe(504);
    const body = (await res.json()) as GqlResponse;
    expect(body.errors?.[0]?.extensions?.code).toBe('TIMEOUT');
    const again = await Promise.all([1, 2].map(() => app.store.db.query<{ v: number }>('SELECT 42 AS v')));
    expect(again.map((r) => r[0]?.v)).toEqual([42, 42]);
  });
});
