import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { testApp } from '../support/app.ts';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/reports/${path}`, import.meta.url));
const PLACE = { project: 'dotnet', branch: 'main', commit: 'c0ffee' };

let app: App;
let base: string;
beforeAll(async () => {
  app = await testApp();
  base = (await app.listen()).replace(/\/graphql$/, '');
});
afterAll(async () => {
  await app.close();
});

const post = (path: string, body: Uint8Array) =>
  fetch(`${base}${path}?${new URLSearchParams(PLACE)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Blob([new Uint8Array(body)]),
  });

const statuses = async () =>
  app.store.db.query<{ status: string; n: number }>(
    `SELECT r.status, count(*)::INTEGER AS n FROM results r JOIN runs ru ON ru.seq = r.run_seq
     WHERE ru.project = 'dotnet' GROUP BY r.status ORDER BY r.status`,
  );

describe('uploading the new formats through POST /ingest/<format>', () => {
  it('stores a TRX report with the counts of its ResultSummary (11 total: 5 passed, 5 failed, 1 not executed)', async () => {
    const res = await post('/ingest/trx', fixture('trx/xunit-vstest.trx'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      format: 'trx',
      tests: 11,
      accepted: 11,
      passed: 5,
      failed: 5,
      skipped: 1,
    });
    expect(await statuses()).toEqual([
      { status: 'FAILED', n: 5 },
      { status: 'PASSED', n: 5 },
      { status: 'SKIPPED', n: 1 },
    ]);
  });

  it('detects NUnit 3 XML on /ingest/report and stores nothing for a refused file', async () => {
    const res = await post('/ingest/report', fixture('nunit/jenkins-issue50162.xml'));
    expect(await res.json()).toMatchObject({ format: 'nunit', tests: 6, passed: 3, failed: 3 });
    const before = (await app.store.counts()).results;
    const bad = await post(
      '/ingest/xunit',
      new TextEncoder().encode(
        '<assemblies>\n<assembly name="a">\n<collection>\n<test name="x" result="Maybe"/>',
      ),
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /line 4 has result "Maybe"/,
    );
    expect((await app.store.counts()).results).toBe(before);
  });

  it('imports go test -json with `assay ingest --format gotest`, and names the formats for a wrong --format', async () => {
    const file = fileURLToPath(new URL('../fixtures/reports/gotest/test-reporter.json', import.meta.url));
    const lines: string[] = [];
    const args = ['ingest', file, '--project', 'go', '--branch', 'main', '--commit', 'abc', '--server', base];
    expect(await main([...args, '--format', 'gotest'], (l) => lines.push(l))).toBe(0);
    // go's events: 5 pass, 6 fail, 1 skip (SOURCES.md)
    expect(lines.join('\n')).toContain(
      '(gotest): 12 tests: 5 passed (0 flaky), 6 failed, 1 skipped; 12 attempts',
    );
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main([...args, '--format', 'nunit2'], () => {})).toBe(2);
      expect(String(stderr.mock.calls[0]?.[0])).toContain(
        '--format must be junit, ctrf, playwright, jest, trx, nunit, xunit, tap, gotest, otlp, allure or auto (got "nunit2")',
      );
    } finally {
      stderr.mockRestore();
    }
  });

  it('imports with the ingestJUnit mutation when told format: XUNIT', async () => {
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({
        query: `mutation($file: File!) { ingestJUnit(file: $file, project: "gql", branch: "main", format: XUNIT) { format tests passed failed skipped } }`,
        variables: { file: null },
      }),
    );
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob([new Uint8Array(fixture('xunit/xunit-2.0.xml'))]), 'results.xml');
    const res = (await (
      await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'apollo-require-preflight': 'true' },
        body: form,
      })
    ).json()) as {
      data?: { ingestJUnit: unknown };
      errors?: unknown;
    };
    expect(res.errors).toBeUndefined();
    // <assembly total="3" passed="1" failed="1" skipped="1">
    expect(res.data!.ingestJUnit).toEqual({ format: 'xunit', tests: 3, passed: 1, failed: 1, skipped: 1 });
  });
});
