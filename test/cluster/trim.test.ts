import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSnapshot } from '../../src/db/snapshot.ts';
import { createApp, type App, type AppConfig } from '../../src/server/app.ts';
import { INGEST, TEST_NOW, type GqlResponse } from '../support/app.ts';
import { TestRedis } from './redis-server.ts';

// The stream is trimmed behind every replica that still reports where it stands; one silent
// for longer than `replicaGoneMs` no longer holds the trim back, and if it comes back it refuses
// to apply what follows the gap (it must start again from a snapshot) instead of diverging.

const dir = mkdtempSync(join(tmpdir(), 'assay-trim-'));
const STREAM = 'trim';
const HOUR = 3_600_000;
/** The position reports' clock: the test moves it, nothing sleeps. */
let clock = TEST_NOW.getTime();
let redis: TestRedis;
const open: App[] = [];

beforeAll(async () => {
  redis = await TestRedis.start();
}, 30_000);

afterAll(async () => {
  for (const app of open.splice(0)) await app.close();
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

async function replica(name: string, extra: Partial<AppConfig> = {}): Promise<{ app: App; url: string }> {
  const app = await createApp({
    db: join(dir, `${name}.duckdb`),
    redis: redis.url,
    replicaId: name,
    port: 0,
    readers: 1,
    logLevel: 'silent',
    now: () => TEST_NOW,
    cluster: { stream: STREAM, replicaGoneMs: HOUR, clock: () => clock },
    ...extra,
  });
  open.push(app);
  return { app, url: await app.listen() };
}

async function post<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResponse<T>;
}

let n = 0;
async function ingest(url: string): Promise<GqlResponse<{ ingest: { dataVersion: number } }>> {
  n++;
  return post(url, INGEST, {
    input: {
      run: {
        id: `run-${n}`,
        project: 'web',
        branch: 'main',
        startedAt: `2026-11-20T10:00:${String(n).padStart(2, '0')}Z`,
      },
      results: [{ suite: 's', name: 't', status: 'PASSED', durationMs: 5 }],
    },
  });
}

const RUNS = '{ runs(first: 100) { totalCount } }';
const GATEWAY = '{ gateway { replica { degraded position } } }';

it('trims past a replica silent for longer than replicaGoneMs, and that replica, back, refuses to apply across the gap', async () => {
  const a = await replica('a');
  const b = await replica('b');
  for (let i = 0; i < 3; i++) await ingest(a.url);
  await a.app.cluster!.replicator.until(() => b.app.store.dataVersion >= a.app.store.dataVersion, 10_000);
  // b goes away, after reporting its position (every replica reports after applying).
  const bRuns = (await post<{ runs: { totalCount: number } }>(b.url, RUNS)).data!.runs.totalCount;
  expect(bRuns).toBe(3);
  await b.app.close();
  open.splice(open.indexOf(b.app), 1);
  for (let i = 0; i < 3; i++) await ingest(a.url);

  const r = new Redis(redis.url);
  try {
    const snapshot = await writeSnapshot(a.app.store.db, join(dir, 'snapshots'));
    // Within the hour, b's old position holds the trim back to it.
    clock += HOUR / 2;
    const held = await a.app.cluster!.trim(snapshot.position);
    const left = await r.xlen(STREAM);
    expect(left).toBeGreaterThanOrEqual(3); // the three runs b has not read yet, at least
    expect(Object.keys(await r.hgetall(`${STREAM}:positions`))).toContain('b');
    // Past the hour b is gone: the trim goes up to the snapshot, and b's report is dropped.
    // (a reports again first, as an idle replica does every few seconds.)
    clock += HOUR;
    await ingest(a.url);
    const snapshot2 = await writeSnapshot(a.app.store.db, join(dir, 'snapshots'));
    const trimmed = await a.app.cluster!.trim(snapshot2.position);
    expect(held + trimmed).toBeGreaterThan(0);
    expect(trimmed).toBeGreaterThan(0);
    expect(Object.keys(await r.hgetall(`${STREAM}:positions`))).not.toContain('b');
  } finally {
    await r.quit();
  }

  // b comes back on its old file: the entries after its position are gone, so it applies nothing,
  // says it is degraded, refuses writes with what to do, and keeps answering from what it has.
  const back = await replica('b');
  let gateway = await post<{ gateway: { replica: { degraded: boolean } } }>(back.url, GATEWAY);
  for (let i = 0; i < 100 && !gateway.data?.gateway.replica.degraded; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gateway = await post(back.url, GATEWAY);
  }
  expect(gateway.data?.gateway.replica.degraded).toBe(true);
  expect((await post<{ runs: { totalCount: number } }>(back.url, RUNS)).data!.runs.totalCount).toBe(bRuns);
  const refused = await ingest(back.url);
  expect(refused.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
  expect(refused.errors?.[0]?.message).toMatch(/trimmed.*--snapshot-dir/s);
}, 60_000);
