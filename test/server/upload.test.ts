import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { App } from '../../src/server/app.ts';
import { testApp } from '../support/app.ts';

/**
 * A Surefire report: 4 tests, 5 attempts ("flaky checkout" failed once, then
 * passed on the rerun). By hand: passed 2 (one flaky), failed 1, skipped 1.
 */
const SUREFIRE = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.acme.CartTest" tests="4" failures="1" errors="0" skipped="1" timestamp="2026-11-05T10:00:00" hostname="ci-7" time="1.5">
  <properties><property name="java.version" value="21"/></properties>
  <testcase classname="com.acme.CartTest" name="adds an item" time="0.25"/>
  <testcase classname="com.acme.CartTest" name="removes an item" time="0.5">
    <failure message="expected: &lt;1&gt; but was: &lt;2&gt;" type="org.opentest4j.AssertionFailedError">at com.acme.CartTest.removes(CartTest.java:42)</failure>
  </testcase>
  <testcase classname="com.acme.CartTest" name="flaky checkout" time="0.75">
    <flakyFailure message="timeout after 500 ms" type="java.util.concurrent.TimeoutException"><stackTrace>at Checkout.pay</stackTrace></flakyFailure>
  </testcase>
  <testcase classname="com.acme.CartTest" name="later" time="0"><skipped/></testcase>
</testsuite>
`;
const PLACE = { project: 'shop', branch: 'main', commit: 'abc123' };
const COUNTS = { tests: 4, attempts: 5, passed: 2, flaky: 1, failed: 1, skipped: 1, rejected: 0 };

const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<testsuite name="x"><testcase name="&lol3;"/></testsuite>`;
const XXE = `<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<testsuite name="x"><testcase name="&xxe;"/></testsuite>`;
const MALFORMED = `<testsuite name="x">\n  <testcase name="a">\n</testsuite>\n`;

const dir = mkdtempSync(join(tmpdir(), 'assay-upload-'));
const file = join(dir, 'TEST-com.acme.CartTest.xml');
writeFileSync(file, SUREFIRE);

const apps: App[] = [];
const urls: string[] = [];
beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const app = await testApp();
    apps.push(app);
    urls.push(await app.listen());
  }
});
afterAll(async () => {
  for (const a of apps) await a.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Everything stored of the uploads, comparable across gateways. */
const stored = (app: App) =>
  app.store.db.query(
    `SELECT ru.id AS run, ru.project, ru.branch, ru.commit_sha, ru.started_at, ru.tags AS run_tags, t.suite, t.class_name, t.name,
          r.attempt, r.status, r.duration_ms, r.started_at AS at, r.worker, r.message, r.stack_trace, r.tags
   FROM results r JOIN runs ru ON ru.seq = r.run_seq JOIN tests t ON t.id = r.test_id ORDER BY t.name, r.attempt`,
  );

const rawPost = (base: string, body: string, path = '/ingest/junit', query: Record<string, string> = PLACE) =>
  fetch(`${base.replace(/\/graphql$/, '')}${path}?${new URLSearchParams(query)}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/xml' },
  });

async function multipart(base: string, xml: string, name = 'report.xml') {
  const form = new FormData();
  form.set(
    'operations',
    JSON.stringify({
      query: `mutation($file: File!) { ingestJUnit(file: $file, project: "shop", branch: "main", commit: "abc123") {
      run { id } format tests attempts accepted duplicates rejected passed failed flaky skipped warnings } }`,
      variables: { file: null },
    }),
  );
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([xml], { type: 'application/xml' }), name);
  const res = await fetch(base, {
    method: 'POST',
    body: form,
    headers: { 'apollo-require-preflight': 'true' },
  });
  return (await res.json()) as {
    data?: { ingestJUnit: Record<string, unknown> };
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

describe('uploading a JUnit report three ways', () => {
  it('stores the same data through the mutation, the endpoint and the CLI', async () => {
    const viaMutation = await multipart(urls[0]!, SUREFIRE);
    expect(viaMutation.errors).toBeUndefined();
    expect(viaMutation.data!.ingestJUnit).toMatchObject({
      format: 'junit',
      ...COUNTS,
      accepted: 5,
      duplicates: 0,
    });

    const res = await rawPost(urls[1]!, SUREFIRE);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ format: 'junit', ...COUNTS, accepted: 5 });

    const lines: string[] = [];
    const code = await main(
      ['ingest', file, '--project', 'shop', '--branch', 'main', '--commit', 'abc123', '--server', urls[2]!],
      (l) => lines.push(l),
    );
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('4 tests: 2 passed (1 flaky), 1 failed, 1 skipped; 5 attempts stored');

    const [a, b, c] = await Promise.all(apps.map(stored));
    expect(a).toHaveLength(5);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    // The rerun became two attempts of one test: FAILED, then PASSED.
    expect(a!.filter((r) => r['name'] === 'flaky checkout').map((r) => [r['attempt'], r['status']])).toEqual([
      [1, 'FAILED'],
      [2, 'PASSED'],
    ]);
  });

  it('is idempotent: uploading the same file again stores nothing new', async () => {
    const again = await rawPost(urls[1]!, SUREFIRE);
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 5 });
    const viaMutation = await multipart(urls[1]!, SUREFIRE);
    expect(viaMutation.data!.ingestJUnit).toMatchObject({ accepted: 0, duplicates: 5 });
    expect((await apps[1]!.store.counts()).results).toBe(5);
  });

  it('stores the same file sent for two branches as two runs, and a re-send for either as nothing new', async () => {
    const app = apps[2]!;
    const base = urls[2]!;
    const before = (await app.store.counts()).results;
    const place = (branch: string) => ({ project: 'cross', branch, commit: 'abc123' });
    const onMain = (await (await rawPost(base, SUREFIRE, '/ingest/junit', place('main'))).json()) as {
      run: { id: string };
      accepted: number;
    };
    const res = await rawPost(base, SUREFIRE, '/ingest/junit', place('feature/cart'));
    expect(res.status).toBe(200);
    const onFeature = (await res.json()) as { run: { id: string }; accepted: number };
    expect([onMain.accepted, onFeature.accepted]).toEqual([5, 5]);
    expect(onFeature.run.id).not.toBe(onMain.run.id);
    const again = await rawPost(base, SUREFIRE, '/ingest/junit', place('feature/cart'));
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 5, run: { id: onFeature.run.id } });
    const runs = await app.store.db.query(
      `SELECT branch, executions FROM runs WHERE project = 'cross' ORDER BY branch`,
    );
    expect(runs).toEqual([
      { branch: 'feature/cart', executions: 4 },
      { branch: 'main', executions: 4 },
    ]);
    expect((await app.store.counts()).results).toBe(before + 10);
  });

  it.each([
    ['billion laughs', LAUGHS, /entit/i],
    ['an external entity', XXE, /entit/i],
    ['malformed XML', MALFORMED, /:\d+:\d+/],
  ])('refuses %s, storing nothing', async (_name, xml, reason) => {
    const before = await apps[1]!.store.counts();
    const res = await rawPost(urls[1]!, xml);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BAD_USER_INPUT');
    expect(body.error.message).toMatch(reason);
    const viaMutation = await multipart(urls[1]!, xml);
    expect(viaMutation.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await apps[1]!.store.counts()).toEqual(before);
  });

  it('answers a clear error for a missing project, a GET, and an empty body', async () => {
    const noProject = await rawPost(urls[1]!, SUREFIRE, '/ingest/junit', { branch: 'main' });
    expect(noProject.status).toBe(400);
    expect(((await noProject.json()) as { error: { message: string } }).error.message).toContain(
      'project is required',
    );
    const get = await fetch(`${urls[1]!.replace(/\/graphql$/, '')}/ingest/junit`);
    expect(get.status).toBe(405);
    const empty = await rawPost(urls[1]!, '');
    expect(empty.status).toBe(400);
  });

  it('stores the files of a multipart POST as one build, and still the good ones when one is refused', async () => {
    const other = SUREFIRE.replace(/com\.acme\.CartTest/g, 'com.acme.OrderTest');
    const form = new FormData();
    form.append('file', new Blob([SUREFIRE]), 'cart.xml');
    form.append('file', new Blob([other]), 'order.xml');
    form.append('file', new Blob([MALFORMED]), 'bad.xml');
    const res = await fetch(`${urls[0]!.replace(/\/graphql$/, '')}/ingest/report?project=other`, {
      method: 'POST',
      body: form,
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      files: { file: string; attempts?: number; error?: { message: string } }[];
      summary: { run: { id: string }; tests: number; accepted: number };
    };
    expect(body.files.map((f) => [f.file, f.attempts ?? null, Boolean(f.error)])).toEqual([
      ['cart.xml', 5, false],
      ['order.xml', 5, false],
      ['bad.xml', null, true],
    ]);
    // Two files of 4 tests and 5 attempts each, one run.
    expect(body.summary).toMatchObject({ tests: 8, accepted: 10 });
    expect(body.summary.run.id).toMatch(/^reports-[0-9a-f]{16}$/);
  });
});
