import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from '../../src/cluster/codec.ts';
import { normaliseRule } from '../../src/domain/alert-rules.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import { createApp, type App } from '../../src/server/app.ts';
import { createLogger } from '../../src/server/logger.ts';
import { TEST_NOW } from '../support/app.ts';
import { TestRedis } from './redis-server.ts';

// Alert rules are evaluated through a consumer group: an ingest handed to a
// replica that died before acknowledging it is evaluated by another.

const dir = mkdtempSync(join(tmpdir(), 'assay-evaluations-'));
let redis: TestRedis;
let client: Redis;
let app: App | undefined;

beforeAll(async () => {
  redis = await TestRedis.start();
  client = new Redis(redis.url);
}, 20_000);

afterAll(async () => {
  await app?.close();
  await client?.quit();
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
}, 20_000);

describe('alert evaluation in the cluster', () => {
  it('takes over an ingest a dead replica was handed and never acknowledged, and fires its alert once', async () => {
    const stream = 'assay:log';
    const group = `${stream}:alerts`;
    await client.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
    const rule = normaliseRule(
      {
        name: 'runs failing',
        kind: 'THRESHOLD',
        series: { measure: 'FAIL_RATE' },
        operator: 'GT',
        threshold: 0.5,
        groupBy: ['RUN'],
        severity: 'CRITICAL',
      },
      { id: 'rule-1', now: TEST_NOW },
    );
    const failing = validateIngest({
      run: { id: 'run-1', project: 'web', branch: 'main', startedAt: '2026-11-21T10:00:00Z' },
      results: [{ suite: 'checkout', name: 'pays', status: 'FAILED', durationMs: 5 }],
    });
    await client.xadd(stream, '*', 'o', 'ghost', 't', 'none', 'e', encode({ op: 'saveRule', rule }));
    await client.xadd(stream, '*', 'o', 'ghost', 't', 'none', 'e', encode({ op: 'ingest', batch: failing }));
    // A replica named ghost takes both entries to evaluate, then dies.
    const handed = (await client.xreadgroup(
      'GROUP',
      group,
      'ghost',
      'COUNT',
      10,
      'STREAMS',
      stream,
      '>',
    )) as [string, unknown[]][];
    expect(handed[0]![1]).toHaveLength(2);

    const warnings: string[] = [];
    app = await createApp({
      db: join(dir, 'e.duckdb'),
      redis: redis.url,
      replicaId: 'e',
      port: 0,
      readers: 1,
      log: createLogger('warn', (line) => warnings.push(line)),
      now: () => TEST_NOW,
      cluster: { claimIdleMs: 200 },
    });
    let fired = 0;
    for (let tries = 0; tries < 100 && fired === 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await app.alerts.idle();
      fired = (await app.store.alertsPage(null, 10, null)).totalCount;
    }
    expect(fired).toBe(1);
    const alert = (await app.store.alertsPage(null, 10, null)).nodes[0]!.node;
    expect(alert).toMatchObject({ kind: 'THRESHOLD', value: 1, group: { runId: 'run-1' } });
    // Both entries acknowledged: nothing left pending in the group.
    for (let tries = 0; tries < 50 && Number((await client.xpending(stream, group))[0]) > 0; tries++)
      await new Promise((r) => setTimeout(r, 50));
    expect(Number((await client.xpending(stream, group))[0])).toBe(0);
    // The groups' connections were waited for at start, not failed on (no offline queue).
    expect(warnings.filter((w) => w.includes('group: retrying'))).toEqual([]);
  }, 30_000);
});
