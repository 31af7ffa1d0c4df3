import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { openStore } from '../../src/db/store.ts';
import type { App } from '../../src/server/app.ts';
import { testApp } from '../support/app.ts';

/** A multipart POST needs this header (or an API key), so that another site's page cannot send one. */
const CSRF = { 'apollo-require-preflight': 'true' };
const NOW = () => new Date('2026-12-02T12:00:00Z');
const dir = (set: string) => fileURLToPath(new URL(`../fixtures/reports/allure/${set}/`, import.meta.url));

let app: App;
let base: string;
beforeAll(async () => {
  app = await testApp();
  base = (await app.listen()).replace(/\/graphql$/, '');
});
afterAll(async () => {
  await app.close();
});

describe('Allure results end to end', () => {
  it('POST /ingest/allure stores a multipart upload of an allure-results directory as one run, and a refused set stores nothing', async () => {
    const form = new FormData();
    for (const name of readdirSync(dir('cucumber-jvm')))
      form.append('file', new Blob([new Uint8Array(readFileSync(dir('cucumber-jvm') + name))]), name);
    const q = new URLSearchParams({ project: 'bdd', branch: 'main', commit: 'c0ffee' });
    const res = await fetch(`${base}/ingest/allure?${q}`, { method: 'POST', headers: CSRF, body: form });
    expect(res.status).toBe(200);
    const body: unknown = await res.json();
    // 10 result files, 5 historyIds; final: 4 passed (1 after a broken attempt), 1 failed (SOURCES.md)
    expect(body).toMatchObject({
      files: [{ file: '20 files', format: 'allure', attempts: 10 }],
      summary: { tests: 5, attempts: 10, accepted: 10, passed: 4, failed: 1, flaky: 1, skipped: 0 },
    });
    const before = (await app.store.counts()).results;
    const bad = new FormData();
    bad.append(
      'file',
      new Blob([readFileSync(dir('mocha') + '1ae1a1f0-0bbc-4623-8ac9-972eaf01bf97-result.json')]),
      'a-result.json',
    );
    bad.append('file', new Blob(['{"uuid": "x",']), 'b-result.json');
    const refused = await fetch(`${base}/ingest/allure?${q}`, { method: 'POST', headers: CSRF, body: bad });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /^b-result\.json:1:14: not valid JSON/,
    );
    expect((await app.store.counts()).results).toBe(before);
  });

  it('`assay ingest <build dir> --db` reads the allure-results directory in it as one run and stores it', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'assay-allure-'));
    try {
      const db = join(tmp, 'a.duckdb');
      const lines: string[] = [];
      // A build folder holding allure-results/ with its executor.json and environment.properties: the folder is one
      // set, and those two files are the run's tags, no reports (the expansion lists no .properties file: it is found).
      const results = join(tmp, 'build', 'allure-results');
      mkdirSync(results, { recursive: true });
      cpSync(dir('mocha'), results, { recursive: true });
      writeFileSync(join(results, 'executor.json'), '{"name": "GitHub Actions", "buildName": "42"}');
      writeFileSync(join(results, 'environment.properties'), 'node=20\n');
      const args = ['ingest', join(tmp, 'build'), '--project', 'shop', '--db', db];
      const code = await main(args, (l) => lines.push(l), NOW);
      expect(code).toBe(0);
      // mocha: 3 passing, 1 pending, 3 failing (the before-all hook is one of the failing)
      expect(lines.join('\n')).toContain(
        'allure-results (12 files) (allure): 7 tests: 3 passed (1 flaky), 3 failed, 1 skipped; 8 attempts',
      );
      const store = await openStore({ path: db, now: NOW });
      try {
        const rows = await store.db.query<{ runs: number; results: number }>(
          'SELECT count(DISTINCT run_seq)::INTEGER AS runs, count(*)::INTEGER AS results FROM results',
        );
        expect(rows).toEqual([{ runs: 1, results: 8 }]);
        const [run] = await store.db.query<{ tags: string }>(
          'SELECT to_json(tags)::VARCHAR AS tags FROM runs',
        );
        expect(JSON.parse(run!.tags)).toMatchObject({ ci: 'GitHub Actions', 'ci.build': '42', node: '20' });
      } finally {
        await store.close();
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
