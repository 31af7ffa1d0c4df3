import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { App } from '../../src/server/app.ts';
import { testApp } from '../support/app.ts';
import { FIXTURES, fixture } from './support.ts';

let app: App;
let base: string;
beforeAll(async () => {
  app = await testApp();
  base = (await app.listen()).replace(/\/graphql$/, '');
});
afterAll(async () => app.close());

const post = (path: string, body: string, query: Record<string, string>) =>
  fetch(`${base}${path}?${new URLSearchParams(query)}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });

const attemptsOf = (suite: string, name: string) =>
  app.store.db.query<{ attempt: number; status: string; duration_ms: number }>(
    `SELECT r.attempt, r.status, r.duration_ms FROM results r JOIN tests t ON t.id = r.test_id
     WHERE t.suite = $1 AND t.name = $2 ORDER BY r.attempt`,
    [suite, name],
  );

describe('uploading Playwright and Jest reports through a real server', () => {
  it('POST /ingest/playwright stores every retry as an attempt and answers the counts', async () => {
    const res = await post(
      '/ingest/playwright',
      fixture('playwright/daun-report-valid.json').toString('utf8'),
      {
        project: 'web',
        branch: 'main',
      },
    );
    expect(res.status).toBe(200);
    // Playwright's own verdicts in the file: 10 expected, 2 unexpected, 1 flaky, 1 skipped; 24 results.
    expect(await res.json()).toMatchObject({
      format: 'playwright',
      tests: 14,
      attempts: 24,
      accepted: 24,
      passed: 11,
      flaky: 1,
      failed: 2,
      skipped: 1,
    });
    expect(
      (await attemptsOf('chromium / multiply.spec.ts / multiply', 'multiplies')).map((r) => [
        r.attempt,
        r.status,
        r.duration_ms,
      ]),
    ).toEqual([
      [1, 'FAILED', 7],
      [2, 'FAILED', 20],
      [3, 'PASSED', 11],
    ]);
    const again = await post(
      '/ingest/playwright',
      fixture('playwright/daun-report-valid.json').toString('utf8'),
      {
        project: 'web',
        branch: 'main',
      },
    );
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 24 });
  });

  it('POST /ingest/report detects Jest output; a wrong explicit format is refused, storing nothing', async () => {
    const res = await post('/ingest/report', fixture('jest/captain-jest.json').toString('utf8'), {
      project: 'web',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ format: 'jest', tests: 18, passed: 6, failed: 6, skipped: 6 });

    const wrong = await post('/ingest/playwright', fixture('jest/captain-jest.json').toString('utf8'), {
      project: 'other',
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(
      /must be a Playwright JSON report/,
    );
    const [row] = await app.store.db.query<{ n: bigint }>(
      `SELECT count(*) AS n FROM runs WHERE project = 'other'`,
    );
    expect(Number(row!.n)).toBe(0);
  });

  it('assay ingest --format jest sends a Jest report to the server', async () => {
    const lines: string[] = [];
    const code = await main(
      [
        'ingest',
        `${FIXTURES}jest/jest-coverage-report-action-jsonReport.json`,
        '--format',
        'jest',
        '--project',
        'cli',
        '--server',
        `${base}/graphql`,
      ],
      (l) => lines.push(l),
    );
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain(
      '(jest): 12 tests: 12 passed (0 flaky), 0 failed, 0 skipped; 12 attempts',
    );
    const bad = await main(['ingest', 'x.json', '--format', 'mocha', '--project', 'cli'], () => {});
    expect(bad).toBe(2);
  });
});
