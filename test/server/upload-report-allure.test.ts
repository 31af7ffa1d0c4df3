import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { testApp } from '../support/app.ts';

/** A multipart POST needs this header (or an API key), so that another site's page cannot send one. */
const CSRF = { 'apollo-require-preflight': 'true' };
const dir = (set: string) => fileURLToPath(new URL(`../fixtures/reports/allure/${set}/`, import.meta.url));
const DIR = dir('cucumber-jvm');
const JUNIT =
  '<?xml version="1.0"?><testsuite name="api" timestamp="2026-11-01T10:00:00"><testcase classname="api.Health" name="answers" time="0.1"/></testsuite>';

let app: App;
let base: string;
beforeAll(async () => {
  app = await testApp();
  base = (await app.listen()).replace(/\/graphql$/, '');
});
afterAll(() => app.close());

const post = async (form: FormData, project: string) => {
  const q = new URLSearchParams({ project, branch: 'main', commit: 'c0ffee' });
  const res = await fetch(`${base}/ingest/report?${q}`, { method: 'POST', headers: CSRF, body: form });
  return { status: res.status, body: (await res.json()) as unknown };
};

describe('POST /ingest/report with the files of an allure-results directory', () => {
  it('reads them as one Allure set, as /ingest/allure does', async () => {
    const form = new FormData();
    for (const name of readdirSync(dir('cucumber-jvm')))
      form.append('file', new Blob([new Uint8Array(readFileSync(dir('cucumber-jvm') + name))]), name);
    form.append('file', new Blob(['os=linux\n']), 'environment.properties');
    // As upload-allure.test.ts: 10 result files, 5 historyIds; 4 passed (1 after a broken attempt), 1 failed.
    expect(await post(form, 'bdd')).toEqual({
      status: 200,
      body: {
        files: [{ file: '21 files', format: 'allure', attempts: 10 }],
        summary: expect.objectContaining({ tests: 5, attempts: 10, passed: 4, failed: 1, flaky: 1 }),
      },
    });
    // environment.properties went with the set, as the run's tags.
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ runs(filter: { project: ["bdd"] }) { edges { node { tags } } } }' }),
    });
    type Runs = { data: { runs: { edges: { node: { tags: Record<string, string> } }[] } } };
    const { data } = (await res.json()) as Runs;
    expect(data.runs.edges.map((e) => e.node.tags)).toEqual([
      expect.objectContaining({ os: 'linux', tool: 'allure' }),
    ]);
  });

  it('knows result files by their first key "uuid" when renamed, and takes an attachment along', async () => {
    const form = new FormData();
    readdirSync(dir('mocha')).forEach((name, i) => {
      const sent = name.endsWith('-result.json') ? `${i}.json` : name;
      form.append('file', new Blob([new Uint8Array(readFileSync(dir('mocha') + name))]), sent);
    });
    // As test/ingest/allure.test.ts: 7 tests in 8 attempts (the before-all hook's error one of them);
    // 3 passed, 3 failing as mocha said (1 FAILED, 2 ERROR), 1 skipped, 1 flaky. cart.spec.js.txt
    // (an attachment) goes with the set.
    expect(await post(form, 'mocha')).toEqual({
      status: 200,
      body: {
        files: [{ file: '11 files', format: 'allure', attempts: 8 }],
        summary: expect.objectContaining({
          tests: 7,
          attempts: 8,
          passed: 3,
          failed: 3,
          skipped: 1,
          flaky: 1,
        }),
      },
    });
  });

  it('stores the Allure set and the other reports of one upload as one run', async () => {
    const form = new FormData();
    form.append('file', new Blob([JUNIT]), 'TEST-api.xml');
    for (const name of readdirSync(DIR))
      form.append('file', new Blob([new Uint8Array(readFileSync(DIR + name))]), name);
    // 1 JUnit test that passed, and the set's 5 tests in 10 attempts: 6 tests, 11 attempts, 5 passed.
    expect(await post(form, 'mixed')).toEqual({
      status: 200,
      body: {
        files: [
          { file: 'TEST-api.xml', format: 'junit', attempts: 1 },
          { file: '20 files', format: 'allure', attempts: 10 },
        ],
        summary: expect.objectContaining({ tests: 6, attempts: 11, passed: 5, failed: 1, flaky: 1 }),
      },
    });
  });

  it('still reads an attachment-like file alone when no Allure result came with it', async () => {
    const form = new FormData();
    form.append('file', new Blob([JUNIT]), 'executor.json');
    expect(await post(form, 'alone')).toMatchObject({
      status: 200,
      body: { files: [{ file: 'executor.json', format: 'junit', attempts: 1 }] },
    });
  });
});
