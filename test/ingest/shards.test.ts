import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { testApp } from '../support/app.ts';

/**
 * Two JUnit files of one CI build (run id "build-7"), one per shard, sent
 * separately. "checkout pays" failed on shard 1 and was retried on shard 2
 * (a re-run of the failed job landed there): both files hold it as their
 * attempt 1. By hand: 3 tests; "checkout pays" is one execution with two
 * attempts, FAILED at 10:00:01 then PASSED at 10:05:01, so flaky.
 */
const shard = (start: string, cases: string) => `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="shop.CheckoutTest" timestamp="${start}" hostname="runner" time="2">
${cases}
</testsuite>
`;
const SHARD_1 = shard(
  '2026-11-05T10:00:00',
  `  <testcase classname="shop.CheckoutTest" name="cart totals" time="0.5"/>
  <testcase classname="shop.CheckoutTest" name="checkout pays" time="1.25" timestamp="2026-11-05T10:00:01"><failure message="card declined">at pay()</failure></testcase>`,
);
const SHARD_2 = shard(
  '2026-11-05T10:05:00',
  `  <testcase classname="shop.CheckoutTest" name="checkout pays" time="0.75" timestamp="2026-11-05T10:05:01"/>
  <testcase classname="shop.CheckoutTest" name="receipt mails" time="0.25"/>`,
);

let app: App;
let base: string;
beforeAll(async () => {
  app = await testApp();
  base = (await app.listen()).replace(/\/graphql$/, '');
});
afterAll(async () => app.close());

const upload = async (xml: string, run = 'build-7') => {
  const res = await fetch(`${base}/ingest/junit?${new URLSearchParams({ project: 'shop', run })}`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body: xml,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { accepted: number; duplicates: number };
};

const attempts = (run: string, name: string) =>
  app.store.db.query<{ attempt: number; status: string; duration_ms: number }>(
    `SELECT r.attempt, r.status, r.duration_ms FROM results r JOIN runs ru ON ru.seq = r.run_seq
     JOIN tests t ON t.id = r.test_id WHERE ru.id = $1 AND t.name = $2 ORDER BY r.attempt`,
    [run, name],
  );

const runRow = (run: string) =>
  app.store.db.query<{ executions: number; passed: number; failed: number; flaky: number }>(
    'SELECT executions, passed, failed, flaky FROM runs WHERE id = $1',
    [run],
  );

describe('the shards of one build sent separately under one run id', () => {
  it('keep a retry that another shard ran: its attempt goes after the stored one', async () => {
    expect(await upload(SHARD_1)).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(await upload(SHARD_2)).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(
      (await attempts('build-7', 'checkout pays')).map((r) => [r.attempt, r.status, r.duration_ms]),
    ).toEqual([
      [1, 'FAILED', 1250],
      [2, 'PASSED', 750],
    ]);
    expect(await runRow('build-7')).toEqual([{ executions: 3, passed: 3, failed: 0, flaky: 1 }]);
  });

  it('stay idempotent: re-sending either shard stores nothing, even after its attempt was renumbered', async () => {
    expect(await upload(SHARD_2)).toEqual(expect.objectContaining({ accepted: 0, duplicates: 2 }));
    expect(await upload(SHARD_1)).toEqual(expect.objectContaining({ accepted: 0, duplicates: 2 }));
    expect((await attempts('build-7', 'checkout pays')).map((r) => r.attempt)).toEqual([1, 2]);
  });

  it('order by start: a batch whose attempt began before the stored one still goes after it, and its own attempts keep their order', async () => {
    // Shard 2 arrives first; shard 1's attempt (which ran earlier) arrives later and is placed after it.
    await upload(SHARD_2, 'build-8');
    await upload(SHARD_1, 'build-8');
    expect((await attempts('build-8', 'checkout pays')).map((r) => [r.attempt, r.status])).toEqual([
      [1, 'PASSED'],
      [2, 'FAILED'],
    ]);
  });

  it("places a later shard's several attempts of the test after the stored one, in their own order", async () => {
    // Shard 2 ran the test twice itself (Surefire's rerun: failed, then passed).
    const rerun = shard(
      '2026-11-05T10:05:00',
      `  <testcase classname="shop.CheckoutTest" name="checkout pays" time="0.75" timestamp="2026-11-05T10:05:01"><flakyFailure message="timeout"/></testcase>`,
    );
    await upload(SHARD_1, 'build-9');
    expect(await upload(rerun, 'build-9')).toMatchObject({ accepted: 2, duplicates: 0 });
    expect((await attempts('build-9', 'checkout pays')).map((r) => [r.attempt, r.status])).toEqual([
      [1, 'FAILED'],
      [2, 'FAILED'],
      [3, 'PASSED'],
    ]);
    expect(await upload(rerun, 'build-9')).toMatchObject({ accepted: 0, duplicates: 2 });
  });
});

/** A CTRF document of one shard of build "gh-991" (the spec's shared runId), with its own tests. */
const ctrfShard = (shard: number, start: number, tests: object[]) =>
  JSON.stringify({
    reportFormat: 'CTRF',
    specVersion: '1.0.0',
    runId: 'gh-991',
    results: {
      tool: { name: 'playwright' },
      summary: {
        tests: tests.length,
        passed: 0,
        failed: 0,
        skipped: 0,
        pending: 0,
        other: 0,
        start,
        stop: start + 5000,
      },
      tests,
      environment: { branchName: 'main', extra: { shard: `${shard}/2` } },
    },
  });

describe('CTRF shards of one build sent separately without a run id', () => {
  it("are one run by the document's runId, and a test in both shards is one execution with its attempts in order", async () => {
    const postCtrf = async (body: string) => {
      const res = await fetch(`${base}/ingest/ctrf?project=shop`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { run: { id: string }; accepted: number; duplicates: number };
    };
    const one = await postCtrf(
      ctrfShard(1, 1795000000000, [
        { name: 'login', status: 'passed', duration: 100, start: 1795000000100 },
        { name: 'pay', status: 'failed', duration: 300, start: 1795000000200, message: 'card declined' },
      ]),
    );
    // The second shard ran "pay" again (retryAttempts numbered out of order: read by their attempt number).
    const two = await postCtrf(
      ctrfShard(2, 1795000060000, [
        { name: 'search', status: 'passed', duration: 50, start: 1795000060100 },
        {
          name: 'pay',
          status: 'passed',
          duration: 250,
          start: 1795000060200,
          retries: 1,
          retryAttempts: [
            { attempt: 2, status: 'passed', duration: 250, start: 1795000060500 },
            { attempt: 1, status: 'failed', duration: 280, start: 1795000060200, message: 'timeout' },
          ],
        },
      ]),
    );
    expect(two.run.id).toBe(one.run.id);
    expect(one.run.id).toMatch(/^ctrf-[0-9a-f]{16}$/);
    expect(two).toMatchObject({ accepted: 3, duplicates: 0 });
    expect((await attempts(one.run.id, 'pay')).map((r) => [r.attempt, r.status, r.duration_ms])).toEqual([
      [1, 'FAILED', 300],
      [2, 'FAILED', 280],
      [3, 'PASSED', 250],
    ]);
    expect(await runRow(one.run.id)).toEqual([{ executions: 3, passed: 3, failed: 0, flaky: 1 }]);
  });
});
