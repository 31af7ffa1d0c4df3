import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { parseAllureResults, type AllureFile } from '../../src/ingest/allure.ts';
import { detectFormat, parseReport } from '../../src/ingest/index.ts';
import { FIXTURES, fixture, fold } from './support.ts';

const ctx = { project: 'web' };

/** Every file of a fixture set, as `assay ingest` and a multipart upload hand them over. */
const setFiles = (set: string): AllureFile[] =>
  readdirSync(`${FIXTURES}allure/${set}`).map((name) => ({
    name,
    read: () => fixture(`allure/${set}/${name}`),
  }));

const text = (name: string, body: unknown): AllureFile => ({
  name,
  read: () => (typeof body === 'string' ? body : JSON.stringify(body)),
});

const result = (over: object) => ({
  uuid: 'u1',
  historyId: 'h1',
  name: 'adds an item',
  fullName: 'shop.CartTest.addsAnItem',
  status: 'passed',
  start: 1795000000000,
  stop: 1795000000250,
  labels: [
    { name: 'suite', value: 'Cart' },
    { name: 'testClass', value: 'shop.CartTest' },
    { name: 'host', value: 'ci-7' },
    { name: 'thread', value: 'main' },
    { name: 'severity', value: 'critical' },
  ],
  ...over,
});

async function refusal(promise: Promise<unknown>): Promise<AssayError> {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AssayError);
  return e as AssayError;
}

// Expected counts come from the files and the tools that wrote them (SOURCES.md), never from this parser.
describe('parseAllureResults: real results directories', () => {
  it('allure-cucumber4-jvm (two runs in one directory): 5 scenarios of 10 result files, each run twice; 4 pass in the end, 1 fails, 1 was broken then passed', async () => {
    const { input, format } = await parseAllureResults(setFiles('cucumber-jvm'), ctx);
    expect(format).toBe('allure');
    expect(fold(input.results!)).toMatchObject({
      tests: 5,
      attempts: 10,
      passed: 4,
      failed: 1,
      skipped: 0,
      flaky: 1,
    });
    const uaa = input.results!.filter((r) => r.name === 'UAA Авторизация - Неуспешная - Появляется ошибка');
    // historyId 47701d9f…: broken on 2020-04-13 (1586782250081), passed on 2020-04-16 (1587048495476).
    expect(uaa.map((r) => [r.attempt, r.status, r.startedAt])).toEqual([
      [1, 'ERROR', new Date(1586782250081).toISOString()],
      [2, 'PASSED', new Date(1587048495476).toISOString()],
    ]);
    expect(uaa[0]).toMatchObject({
      suite: 'E2E Тестирование',
      worker: 'WIN-8SNBL6I3CF7',
      durationMs: 1586782257596 - 1586782250081,
      message: expect.stringMatching(/^Reached error page: about:neterror/),
    });
    expect(uaa[1]!.tags).toMatchObject({
      tag: 'smoke,NOT_READY,AUTHOR=Maxim_Kochetkov',
      owner: 'Maxim_Kochetkov',
    });
    expect(input.run).toMatchObject({
      startedAt: '2020-04-13T12:50:50.056Z',
      tags: { tool: 'allure', framework: 'cucumber4jvm' },
    });
  });

  it('allure-junit5: 9 result files, 9 historyIds (two parametrised tests with two cases each): 6 passed, 3 broken', async () => {
    const { input, warnings } = await parseAllureResults(setFiles('junit5'), ctx);
    expect(fold(input.results!)).toMatchObject({ tests: 9, attempts: 9, passed: 6, error: 3, failed: 0 });
    // Same name and method, told apart by their parameters as their historyIds are.
    expect(
      input.results!.filter((r) => r.name.startsWith('Create issue via api')).map((r) => r.name),
    ).toEqual([
      'Create issue via api [owner=allure-framework, repo=allure2, title=First Note]',
      'Create issue via api [owner=allure-framework, repo=allure2, title=Second Note]',
    ]);
    expect(input.results!.find((r) => r.name === 'Create new issue authorized user')).toMatchObject({
      suite: 'io.qameta.allure.examples.junit5.IssuesWebTest',
      className: 'io.qameta.allure.examples.junit5.IssuesWebTest',
      status: 'ERROR',
      message: 'Selenium timeout: selenium unavailable now',
      worker: 'ELF-PC',
    });
    expect(warnings.join('\n')).toMatch(/after fixture "stopDriver" broken/);
  });

  it('allure-mocha: 6 result files of 5 tests plus a failed before-all hook; mocha said 3 passing, 1 pending, 3 failing', async () => {
    const { input, warnings } = await parseAllureResults(setFiles('mocha'), ctx);
    // The hook's error (globals.json) is one ERROR result, so the 3 failing are 1 FAILED + 2 ERROR.
    expect(fold(input.results!)).toMatchObject({
      tests: 7,
      attempts: 8,
      passed: 3,
      failed: 1,
      error: 2,
      skipped: 1,
      flaky: 1,
    });
    const sync = input.results!.filter((r) => r.name === 'syncs with the server');
    expect(sync.map((r) => [r.attempt, r.status, r.message])).toEqual([
      [1, 'ERROR', 'ECONNRESET: socket hang up'],
      [2, 'PASSED', null],
    ]);
    expect(input.results!.find((r) => r.suite === 'allure')).toMatchObject({
      name: '(errors outside tests)',
      status: 'ERROR',
      message: '"before all" hook failed: payment sandbox unreachable',
    });
    expect(warnings.join('\n')).toMatch(/share the test "syncs with the server"/);
  });

  it('allure-vitest: 7 result files; vitest said 3 passed, 1 failed, 3 skipped, 1 todo (the todo has no status)', async () => {
    const { input, warnings } = await parseAllureResults(setFiles('vitest'), ctx);
    expect(fold(input.results!)).toMatchObject({ passed: 3, failed: 1, error: 1, skipped: 3, flaky: 0 });
    expect(input.results!.find((r) => r.name === 'supports crypto')).toMatchObject({ status: 'SKIPPED' });
    expect(warnings.join('\n')).toMatch(/has status none \(Allure's "unknown"/);
    const retried = input.results!.find((r) => r.name === 'fetches exchange rates')!;
    expect(retried.metrics).toEqual([
      { name: 'steps', value: 3 },
      { name: 'steps.durationMs', value: 1, unit: 'ms' },
    ]);
  });
});

describe('parseAllureResults: rules', () => {
  it('reads executor.json and environment.properties as run tags, and keeps the run id the results give', async () => {
    // Allure's documentation's own examples (allurereport.org, "Environment" and "Executor"), and Java's properties rules.
    const executor = {
      name: 'Jenkins',
      type: 'jenkins',
      url: 'http://example.org',
      buildOrder: 13,
      buildName: 'allure-report_deploy#13',
      buildUrl: 'http://example.org/build#13',
      reportUrl: 'http://example.org/build#13/AllureReport',
      reportName: 'Demo allure report',
    };
    const environment = [
      '# a comment',
      '! another',
      'Browser=Chrome',
      'Browser.Version=63.0',
      'Stand = Production',
      'os: linux',
      'tool=not-allure',
      'path=C:\\\\ci\\',
      '  continued',
      'greeting=caf\\u00e9',
      '',
    ].join('\n');
    const results = [text('1-result.json', result({}))];
    const plain = await parseAllureResults(results, ctx);
    const { input } = await parseAllureResults(
      [...results, text('executor.json', executor), text('environment.properties', environment)],
      ctx,
    );
    expect(input.run.tags).toEqual({
      tool: 'allure',
      ci: 'jenkins',
      'ci.build': 'allure-report_deploy#13',
      'ci.build_order': '13',
      'ci.build_url': 'http://example.org/build#13',
      Browser: 'Chrome',
      'Browser.Version': '63.0',
      Stand: 'Production',
      os: 'linux',
      // `\\` is one backslash; the line's last `\` joins the next line, without its leading blanks.
      path: 'C:\\cicontinued',
      greeting: 'café',
    });
    expect(input.run.id).toBe(plain.input.run.id);
  });

  it('refuses an executor.json whose field has the wrong type, naming the file and field', async () => {
    const e = await refusal(
      parseAllureResults([text('1-result.json', result({})), text('executor.json', { type: 7 })], ctx),
    );
    expect(e.message).toBe('executor.json: type must be a string (got number 7)');
  });

  it('maps passed, failed, broken, skipped and unknown to PASSED, FAILED, ERROR, SKIPPED, SKIPPED', async () => {
    const statuses = ['passed', 'failed', 'broken', 'skipped', 'unknown'];
    const files = statuses.map((status, i) =>
      text(`${i}-result.json`, result({ uuid: `u${i}`, historyId: `h${i}`, name: status, status })),
    );
    const { input } = await parseAllureResults(files, ctx);
    expect(input.results!.map((r) => [r.name, r.status])).toEqual([
      ['passed', 'PASSED'],
      ['failed', 'FAILED'],
      ['broken', 'ERROR'],
      ['skipped', 'SKIPPED'],
      ['unknown', 'SKIPPED'],
    ]);
    expect(input.results![0]).toMatchObject({
      suite: 'Cart',
      className: 'shop.CartTest',
      worker: 'ci-7',
      durationMs: 250,
      tags: { thread: 'main', severity: 'critical' },
    });
  });

  it('orders attempts sharing a historyId by start, whatever the file order, and notes statusDetails.flaky', async () => {
    const files = [
      text('a-result.json', result({ uuid: 'late', start: 1795000009000, stop: 1795000009100 })),
      text(
        'b-result.json',
        result({ uuid: 'early', status: 'failed', statusDetails: { message: 'boom\nmore', flaky: true } }),
      ),
    ];
    const { input } = await parseAllureResults(files, ctx);
    expect(input.results!.map((r) => [r.attempt, r.status, r.message, r.stackTrace])).toEqual([
      [1, 'FAILED', 'boom', 'boom\nmore'],
      [2, 'PASSED', null, null],
    ]);
    expect(input.results![1]!.tags).toMatchObject({ 'allure.flaky': 'true' });
  });

  it('tells parametrised cases of one name apart by their parameters, leaving excluded ones out', async () => {
    const param = (v: string) => [
      { name: 'price', value: v },
      { name: 'Retry', value: '1', excluded: true },
    ];
    const files = [
      text('1-result.json', result({ uuid: 'p1', historyId: 'x1', parameters: param('10') })),
      text('2-result.json', result({ uuid: 'p2', historyId: 'x2', parameters: param('20') })),
    ];
    const { input } = await parseAllureResults(files, ctx);
    expect(input.results!.map((r) => r.name)).toEqual(['adds an item [price=10]', 'adds an item [price=20]']);
  });

  it('records a test whose before fixture failed, and that did not run, as ERROR with the fixture message', async () => {
    const files = [
      text('c-container.json', {
        uuid: 'c',
        children: ['u1'],
        befores: [{ name: 'db', status: 'broken', statusDetails: { message: 'no database' } }],
      }),
      text('r-result.json', result({ status: 'skipped' })),
    ];
    const { input } = await parseAllureResults(files, ctx);
    expect(input.results).toMatchObject([
      { status: 'ERROR', message: 'before fixture "db" failed: no database' },
    ]);
  });

  it('follows nested containers to the tests a failed before fixture stopped, and only warns about a failed after fixture', async () => {
    const files = [
      text('outer-container.json', {
        uuid: 'outer',
        children: ['inner'],
        befores: [{ name: 'server', status: 'failed', statusDetails: { message: 'port 8080 in use' } }],
      }),
      text('inner-container.json', {
        uuid: 'inner',
        children: ['u1', 'u2'],
        afters: [{ name: 'cleanup', status: 'broken' }],
      }),
      text('1-result.json', result({ status: 'skipped' })),
      text('2-result.json', result({ uuid: 'u2', historyId: 'h2', name: 'ran anyway', status: 'passed' })),
    ];
    const { input, warnings } = await parseAllureResults(files, ctx);
    expect(input.results!.map((r) => [r.name, r.status, r.message])).toEqual([
      ['adds an item', 'ERROR', 'before fixture "server" failed: port 8080 in use'],
      ['ran anyway', 'PASSED', null],
    ]);
    expect(warnings.join('\n')).toMatch(/inner-container\.json: after fixture "cleanup" broken/);
  });

  it('derives one run id from the files, whatever their order, and another for another branch', async () => {
    const files = [
      text('1-result.json', result({})),
      text('2-result.json', result({ uuid: 'u2', historyId: 'h2' })),
    ];
    const a = await parseAllureResults(files, ctx);
    const b = await parseAllureResults([...files].reverse(), ctx);
    const other = await parseAllureResults(files, { ...ctx, branch: 'feature' });
    expect(a.input.run.id).toMatch(/^allure-[0-9a-f]{16}$/);
    expect(b.input.run.id).toBe(a.input.run.id);
    expect(other.input.run.id).not.toBe(a.input.run.id);
  });

  it('refuses malformed JSON naming the file, line and column, and a wrong field naming the file and path', async () => {
    const bad = await refusal(
      parseAllureResults(
        [text('ok-result.json', result({})), text('x-result.json', '{\n  "uuid": "a",,\n}')],
        ctx,
      ),
    );
    expect(bad.message).toMatch(/^x-result\.json:2:15: not valid JSON/);
    const wrong = await refusal(parseAllureResults([text('y-result.json', result({ start: 'soon' }))], ctx));
    expect(wrong.message).toMatch(/^y-result\.json: start must be a number/);
  });

  it('refuses sets past maxTestCases or maxBytes (all files together), and a directory without results', async () => {
    const two = [text('1-result.json', result({})), text('2-result.json', result({ uuid: 'u2' }))];
    expect((await refusal(parseAllureResults(two, ctx, { maxTestCases: 1 }))).code).toBe('PAYLOAD_TOO_LARGE');
    const size = JSON.stringify(result({})).length;
    const big = await refusal(parseAllureResults(two, ctx, { maxBytes: size + 10 }));
    expect(big.message).toMatch(
      /^2-result\.json: the Allure results are larger than REPORT_LIMITS\.maxBytes/,
    );
    const none = await refusal(
      parseAllureResults([text('c-container.json', { uuid: 'c', children: [] })], ctx),
    );
    expect(none.message).toMatch(/holds fixtures, not test results/);
  });

  it('detects a single result file by its first key and reads it through parseReport', async () => {
    const body = JSON.stringify(result({}));
    expect(detectFormat(body)).toBe('allure');
    const r = await parseReport(body, { ...ctx, fileName: 'u1-result.json' });
    expect(r.format).toBe('allure');
    expect(r.input.results).toHaveLength(1);
  });
});
