import { describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { parseCtrf } from '../../src/ingest/ctrf.ts';
import { fixture } from './support.ts';

const ctx = { project: 'shop', startedAt: new Date('2026-11-20T00:00:00Z') };
const parseFile = (file: string, extra: object = {}) =>
  parseCtrf(fixture(`ctrf/${file}`), { ...ctx, fileName: file, ...extra });

async function refusal(promise: Promise<unknown>): Promise<AssayError> {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AssayError);
  return e as AssayError;
}

describe('parseCtrf', () => {
  it('reads the run from summary start/stop, the environment and the tool', async () => {
    const { input } = await parseFile('playwright.json');
    expect(input.run).toEqual({
      id: expect.stringMatching(/^ctrf-[0-9a-f]{16}$/),
      project: 'shop',
      branch: 'main',
      commit: '4be1a7d0c3',
      startedAt: new Date(1795258800000).toISOString(),
      finishedAt: new Date(1795258861250).toISOString(),
      tags: {
        tool: 'playwright',
        'tool.version': '1.48.2',
        reportName: 'e2e nightly',
        osPlatform: 'linux',
        osRelease: '6.5.0-1025-azure',
        testEnvironment: 'staging',
        'extra.shard': '1/4',
      },
    });
  });

  it('lets the context win over the report for branch, commit, run id and tags', async () => {
    const { input } = await parseFile('playwright.json', {
      branch: 'release/4',
      commit: 'ffff',
      runId: 'build-77',
      tags: { osPlatform: 'darwin' },
    });
    expect(input.run).toMatchObject({
      id: 'build-77',
      branch: 'release/4',
      commit: 'ffff',
      tags: { osPlatform: 'darwin', tool: 'playwright' },
    });
  });

  it('turns retryAttempts into attempts, adding the final one unless the list already holds retries + 1', async () => {
    const { input } = await parseFile('playwright.json');
    const of = (name: string) =>
      input
        .results!.filter((r) => r.name === name)
        .map((r) => [r.attempt, r.status, r.durationMs, r.message]);
    expect(of('logs in with a magic link')).toEqual([
      [1, 'FAILED', 30000, 'Test timeout of 30000ms exceeded.'],
      [2, 'PASSED', 1840, null],
    ]);
    expect(of('adds a product to the cart').map((a) => a.slice(0, 3))).toEqual([
      [1, 'FAILED', 5011],
      [2, 'FAILED', 5090],
      [3, 'FAILED', 5123],
    ]);
    // flaky with a retry count but no details: one failed attempt of unknown length before the pass.
    expect(of('finds products by name')).toEqual([
      [1, 'FAILED', 0, null],
      [2, 'PASSED', 2210, null],
    ]);
    expect(of('completes checkout')).toEqual([[1, 'ERROR', 912, 'Test was interrupted.']]);
  });

  it('maps suite arrays, threadId, browser, tags and labels onto the result', async () => {
    const { input } = await parseFile('playwright.json');
    const login = input.results!.find((r) => r.name === 'logs in with a magic link' && r.attempt === 2)!;
    expect(login).toMatchObject({
      suite: 'auth/login.spec.ts / Login',
      className: null,
      worker: '0',
      startedAt: new Date(1795258800100).toISOString(),
      tags: {
        '@smoke': 'true',
        '@auth': 'true',
        file: 'tests/auth/login.spec.ts',
        browser: 'chromium 130.0.6723.31',
      },
    });
    expect(input.results!.find((r) => r.name === 'shows the cookie banner')!.tags).toMatchObject({
      owner: 'web-platform',
      priority: '2',
    });
    expect(input.results!.find((r) => r.name === 'finds products by name')!.worker).toBe('2');
  });

  it('reads an older suite string and maps pending to SKIPPED', async () => {
    const { input } = await parseFile('jest.json');
    expect(input.results!.map((r) => [r.suite, r.name, r.status])).toEqual([
      ['cart.test.ts > Cart', 'adds an item', 'PASSED'],
      ['cart.test.ts > Cart', 'applies a coupon', 'FAILED'],
      ['cart.test.ts > Cart', 'empties when logged out', 'SKIPPED'],
      ['cart.test.ts > Cart', 'syncs with the server', 'SKIPPED'],
    ]);
    expect(input.run).toMatchObject({ branch: 'feature/coupons', commit: '9f1c2e7' });
  });

  it('falls back to the context start when summary.start is 0, and names the tool as the suite', async () => {
    const { input, warnings } = await parseFile('minimal.json');
    expect(input.run.startedAt).toBe('2026-11-20T00:00:00.000Z');
    expect(input.results!.map((r) => [r.suite, r.status])).toEqual([
      ['custom-runner', 'PASSED'],
      ['custom-runner', 'SKIPPED'],
    ]);
    expect(warnings).toEqual(['results.tests[1] has status "other"; read as SKIPPED']);
  });

  it('reads epoch times and durations written in seconds (pytest-ctrf) as seconds, and says so', async () => {
    const { input, warnings } = await parseFile('pytest-ctrf-seconds.json');
    expect(input.run).toMatchObject({
      startedAt: '2026-11-21T11:00:00.251Z',
      finishedAt: '2026-11-21T11:00:01.902Z',
    });
    expect(input.results!.map((r) => [r.name.split('::')[1], r.durationMs, r.startedAt])).toEqual([
      ['test_add_item', 412.092, '2026-11-21T11:00:00.300Z'],
      ['test_total', 20.733, '2026-11-21T11:00:00.713Z'],
      ['test_empty', 1103, '2026-11-21T11:00:00.771Z'],
    ]);
    expect(warnings).toEqual([
      "durations read as seconds, not CTRF's milliseconds: results.tests[0].duration 0.4120918 matches its stop − start, 0.4128 s",
      'results.tests[0].start 1795258800.3001 is an epoch time in seconds (CTRF writes milliseconds); times below 1e11 are read as seconds',
    ]);
  });

  it('reads summary times in seconds but keeps whole-number durations as milliseconds', async () => {
    const { input, warnings } = await parseFile('older-fields.json');
    expect(input.run).toMatchObject({
      startedAt: '2026-11-21T11:00:00.000Z',
      finishedAt: '2026-11-21T11:00:45.000Z',
    });
    expect(input.results!.find((r) => r.name === 'logs in')!.durationMs).toBe(1200);
    expect(warnings).toContain(
      'results.summary.start 1795258800 is an epoch time in seconds (CTRF writes milliseconds); times below 1e11 are read as seconds',
    );
    expect(warnings.join('\n')).not.toContain('durations read as seconds');
  });

  it('keeps millisecond durations when only a fraction is small: seconds need timestamps in seconds', async () => {
    const doc = JSON.stringify({
      results: {
        summary: { start: 1795258800000 },
        tests: [
          { name: 'a', status: 'passed', duration: 0.25, start: 1795258800100, stop: 1795258800100.25 },
        ],
      },
    });
    const { input, warnings } = await parseCtrf(doc, ctx);
    expect(input.results![0]!.durationMs).toBe(0.25);
    expect(warnings).toEqual([]);
  });

  it('reads the older retry and flake fields as retries and flaky, with a warning', async () => {
    const { input, warnings } = await parseFile('older-fields.json');
    const of = (name: string) =>
      input.results!.filter((r) => r.name === name).map((r) => [r.attempt, r.status]);
    expect(of('updates the profile')).toEqual([
      [1, 'FAILED'],
      [2, 'FAILED'],
      [3, 'PASSED'],
    ]);
    expect(of('shows the title')).toEqual([[1, 'FAILED']]);
    expect(of('searches')).toEqual([[1, 'ERROR']]);
    expect(warnings).toContain(
      'results.tests[1].retry is read as "retries" (an older CTRF field name) (and 1 more like it)',
    );
    expect(warnings).toContain(
      'results.tests[1].flake is read as "flaky" (an older CTRF field name) (and 1 more like it)',
    );
  });

  it('reads a test listed again after a pass as a distinct case, and after a failure as a retry', async () => {
    const doc = JSON.stringify({
      results: {
        summary: { start: 1795258800000 },
        tests: [
          { name: 'a', status: 'passed', duration: 1 },
          { name: 'a', status: 'failed', duration: 2 },
          { name: 'b', status: 'failed', duration: 3 },
          { name: 'b', status: 'passed', duration: 4 },
        ],
      },
    });
    const { input } = await parseCtrf(doc, ctx);
    expect(input.results!.map((r) => [r.name, r.attempt, r.status])).toEqual([
      ['a', 1, 'PASSED'],
      ['a [2]', 1, 'FAILED'],
      ['b', 1, 'FAILED'],
      ['b', 2, 'PASSED'],
    ]);
  });

  it('strips terminal colour codes from messages and traces', async () => {
    const { input } = await parseFile('older-fields.json');
    expect(input.results!.find((r) => r.name === 'shows the title')).toMatchObject({
      message: 'Timed out 5000ms waiting for expect(locator).toHaveTitle',
      stackTrace: 'Error: Timed out\n    at tests/title.spec.ts:9:20',
    });
  });

  it.each([
    [
      'bad-status.json',
      'bad-status.json: results.tests[3].status must be one of passed, failed, skipped, pending, other (got "broken")',
    ],
    ['bad-json.json', 'bad-json.json:6:5: not valid JSON: expected a value, found "]"'],
    ['wrong-shape.json', 'wrong-shape.json: results.tests must be a list (got an object)'],
  ])('refuses %s saying where', async (file, message) => {
    const e = await refusal(parseFile(file));
    expect([e.code, e.message]).toEqual(['BAD_USER_INPUT', message]);
  });

  it('refuses a test whose duration is not a number, naming its path', async () => {
    const doc = JSON.stringify({ results: { tests: [{ name: 'a', status: 'passed', duration: '12' }] } });
    const e = await refusal(parseCtrf(doc, ctx));
    expect(e.message).toBe('report.json: results.tests[0].duration must be a number (got "12")');
  });

  it('refuses JSON nested deeper than maxDepth before parsing it', async () => {
    const e = await refusal(
      parseCtrf(`{"results":${'['.repeat(10)}${']'.repeat(10)}}`, ctx, { maxDepth: 8 }),
    );
    expect(e.message).toBe('report.json:1:19: the JSON nests deeper than REPORT_LIMITS.maxDepth (8)');
  });

  it('refuses more tests than maxTestCases', async () => {
    const e = await refusal(parseCtrf(fixture('ctrf/playwright.json'), ctx, { maxTestCases: 5 }));
    expect(e.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
