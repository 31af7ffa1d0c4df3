import { describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { INGEST_LIMITS } from '../../src/domain/ingest.ts';
import type { IngestResultInput } from '../../src/domain/types.ts';
import { parseJUnit } from '../../src/ingest/junit.ts';
import { chunked, fixture } from './support.ts';

const ctx = { project: 'shop', startedAt: new Date('2026-11-20T00:00:00Z') };
const parseFile = (file: string, extra: object = {}) =>
  parseJUnit(fixture(`junit/${file}`), { ...ctx, fileName: file, ...extra });
const attemptsOf = (results: readonly IngestResultInput[] | null | undefined, name: string) =>
  (results ?? []).filter((r) => r.name === name).map((r) => [r.attempt, r.status, r.durationMs, r.message]);

async function refusal(promise: Promise<unknown>): Promise<AssayError> {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AssayError);
  return e as AssayError;
}

describe('parseJUnit: Surefire and Failsafe reruns', () => {
  it('turns flakyFailure and flakyError into earlier failed attempts before a final pass', async () => {
    const { input } = await parseFile('surefire.xml');
    expect(attemptsOf(input.results, 'retriesGatewayTimeout')).toEqual([
      [1, 'FAILED', 0, 'Read timed out'],
      [2, 'ERROR', 0, 'Connection reset'],
      [3, 'PASSED', 1311, null],
    ]);
    const first = input.results!.find((r) => r.name === 'retriesGatewayTimeout')!;
    expect(first.stackTrace).toMatch(/^java\.net\.SocketTimeoutException: Read timed out\n\tat /);
  });

  it('turns rerunFailure and rerunError into further failed attempts after the first failure', async () => {
    const { input } = await parseFile('failsafe.xml');
    expect(attemptsOf(input.results, 'appliesVoucher')).toEqual([
      [1, 'FAILED', 2100, 'Voucher total mismatch'],
      [2, 'FAILED', 0, 'Voucher total mismatch'],
      [3, 'FAILED', 0, 'Voucher total mismatch'],
    ]);
    expect(attemptsOf(input.results, 'talksToInventory').map((a) => a[1])).toEqual(['ERROR', 'ERROR']);
  });

  it('keeps only a few JVM system properties of a Surefire dump as run tags', async () => {
    const { input, warnings } = await parseFile('surefire.xml');
    expect(input.run.tags).toEqual({
      'os.name': 'Linux',
      'java.version': '17.0.9',
      'os.arch': 'amd64',
      'java.vendor': 'Eclipse Adoptium',
    });
    expect(warnings).toContainEqual(expect.stringContaining('dropped 11 JVM system properties'));
  });

  it('refuses a report without a timestamp when the context gives no start either', async () => {
    const e = await refusal(
      parseJUnit(fixture('junit/surefire.xml'), { project: 'shop', fileName: 'surefire.xml' }),
    );
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.message).toContain("carries no timestamp; pass the run's start (ReportContext.startedAt");
  });
});

describe('parseJUnit: dialects', () => {
  it('records a test that Gradle reports twice as two attempts of one test', async () => {
    const { input } = await parseFile('gradle.xml');
    expect(attemptsOf(input.results, 'releasesExpiredReservations()').map((a) => a.slice(0, 3))).toEqual([
      [1, 'FAILED', 412],
      [2, 'PASSED', 398],
    ]);
    expect(input.run.startedAt).toBe('2026-11-20T08:15:42.000Z');
    expect(input.results!.every((r) => r.worker === 'gradle-worker-3')).toBe(true);
  });

  it("reads pytest's properties, hostname, microsecond timestamp, and a failure with a teardown error", async () => {
    const { input } = await parseFile('pytest.xml');
    expect(input.run).toMatchObject({
      startedAt: '2026-11-20T09:02:11.482Z',
      tags: { python: '3.12.7', ci_job: 'unit-3' },
    });
    const refund = input.results!.find((r) => r.name === 'test_refund')!;
    expect(refund.status).toBe('ERROR');
    expect(refund.message).toBe('failed on teardown with "ConnectionError: sandbox closed"');
    expect(refund.stackTrace).toContain('AssertionError: refund not issued');
    expect(refund.stackTrace).toContain('ConnectionError: sandbox closed');
    expect(input.results!.find((r) => r.name === 'test_create_order')!.tags).toEqual({ jira: 'ORD-101' });
    expect(new Set(input.results!.map((r) => r.worker))).toEqual(new Set(['ci-runner-7']));
  });

  it("drops unittest-xml-reporting's timestamp suffix from suite names so the suite is the same every run", async () => {
    const { input } = await parseFile('unittest-xmlrunner.xml');
    expect(new Set(input.results!.map((r) => r.suite))).toEqual(
      new Set(['tests.test_parser.ParserTest', 'tests.test_io.IoTest']),
    );
    expect(input.results!.find((r) => r.name === 'test_reads_file')!.tags).toEqual({
      file: 'tests/test_io.py',
    });
  });

  it('takes the message from the first line of the text when there is no message attribute (jest-junit)', async () => {
    const { input } = await parseFile('jest-junit.xml');
    const coupon = input.results!.find((r) => r.name === 'Cart applies a coupon')!;
    expect(coupon.message).toBe('Error: expect(received).toBe(expected) // Object.is equality');
    expect(coupon.stackTrace).toMatch(/Received: 100\n {4}at Object\.toBe/);
    expect(input.run).toMatchObject({
      startedAt: '2026-11-20T10:00:03.000Z',
      finishedAt: '2026-11-20T10:00:06.485Z',
    });
    expect(input.results!.map((r) => r.name)).toContain('Cart shows ünïcödé names 🛒');
  });

  it('joins nested PHPUnit suites into a path and keeps assertions as a metric and the file as a tag', async () => {
    const { input } = await parseFile('phpunit.xml');
    const half = input.results!.find((r) => r.name === 'testRounds with data set "half-even"')!;
    expect(half).toMatchObject({
      suite: 'Acme Test Suite / Unit / Tests\\Unit\\MoneyTest / Tests\\Unit\\MoneyTest::testRounds',
      className: 'Tests.Unit.MoneyTest',
      status: 'FAILED',
      message: 'Failed asserting that 2.5 matches expected 2.0.',
      metrics: [{ name: 'assertions', value: 1 }],
      tags: { file: '/app/tests/Unit/MoneyTest.php' },
    });
    // No timestamps: the context's start, and the root suite's time as the run's length.
    expect(input.run).toMatchObject({
      startedAt: '2026-11-20T00:00:00.000Z',
      finishedAt: '2026-11-20T00:00:00.094Z',
    });
  });

  it("skips PHPUnit's own Class::method first line (and a bare F) for the message, CR line ends included", async () => {
    const { input } = await parseFile('phpunit-laravel.xml');
    expect(input.results!.map((r) => [r.name, r.status, r.message])).toEqual([
      ['test_redirects_guests', 'FAILED', 'Failed asserting that two strings are equal.'],
      ['test_shows_totals', 'PASSED', null],
      ['test_applies_coupon', 'ERROR', 'Error: Call to undefined method App\\Models\\Cart::coupon()'],
    ]);
    expect(input.results![0]!.stackTrace).toMatch(
      /^Tests\\Feature\\CheckoutTest::test_redirects_guests\r\nFailed asserting/,
    );
    const phpunit = await parseFile('phpunit.xml');
    expect(phpunit.input.results!.find((r) => r.name === 'testTotals')!.message).toBe(
      'TypeError: Acme\\Invoice::total(): Return value must be of type float, null returned',
    );
  });

  it('reads a zoned gotestsum timestamp and makes a property every package shares a run tag', async () => {
    const { input } = await parseFile('gotestsum.xml');
    expect(input.run).toMatchObject({
      startedAt: '2026-11-20T12:00:00.000Z',
      tags: { 'go.version': 'go1.22.5 linux/amd64' },
    });
    expect(input.results!.find((r) => r.name === 'TestTotal/with_discount')!.message).toBe('Failed');
  });

  it('keeps suite properties that differ between suites on the results, nearest suite and the testcase winning', async () => {
    const { input } = await parseFile('nested-suites.xml');
    expect(input.run.tags).toEqual({ env: 'staging' });
    expect(input.results!.map((r) => [r.suite, r.name, r.tags])).toEqual([
      ['api / users', 'lists users', { owner: 'alice', attachments: 'screenshots/users.png', shard: '1' }],
      ['web', 'renders', { shard: '2' }],
    ]);
  });

  it('ignores an impossible timestamp with a warning naming it, instead of rolling it into March', async () => {
    const xml = Buffer.from(`<testsuites>
<testsuite name="s" timestamp="2026-02-30T10:00:00"><testcase name="a" time="1"/></testsuite>
</testsuites>`);
    const { input, warnings } = await parseJUnit(xml, { ...ctx, fileName: 'feb.xml' });
    expect(warnings).toEqual([
      'timestamp at line 2 "2026-02-30T10:00:00" is not a real date and time: it has day 30, but February 2026 has 28 days; ignored',
    ]);
    expect(input.run.startedAt).toBe(ctx.startedAt.toISOString());
  });

  it('reads odd time values leniently and says so', async () => {
    const { input, warnings } = await parseFile('odd-times.xml');
    const ms = Object.fromEntries(input.results!.map((r) => [r.name, r.durationMs]));
    expect(ms).toEqual({
      grouping: 1_234_500,
      decimal_comma: 250,
      empty: 0,
      missing: 0,
      negative: 0,
      garbage: 0,
      whole: 3000,
      exponent: 2.5,
      DISABLED_notrun: 0,
      '<unnamed 1>': 100,
    });
    expect(input.results!.find((r) => r.name === 'DISABLED_notrun')!.status).toBe('SKIPPED');
    expect(warnings).toEqual([
      'testcase at line 4 has time "1,234.5" with grouping commas; read as 1234.5 s',
      'testcase at line 5 has time "0,25" with a decimal comma; read as 0.25 s',
      'testcase at line 6 has an empty time ""; read as 0 ms',
      'testcase at line 7 has no time; read as 0 ms',
      'testcase at line 8 has a negative time "-0.5"; read as 0 ms',
      'testcase at line 9 has time "1.5s", which is not a number of seconds; read as 0 ms',
      'testcase at line 13 has no name; named <unnamed 1>',
    ]);
  });

  it('files a testcase written straight under <testsuites> under the root name', async () => {
    const { input } = await parseJUnit(
      '<testsuites name="smoke"><testcase classname="c" name="t" time="1"/></testsuites>',
      ctx,
    );
    expect(input.results).toMatchObject([
      { suite: 'smoke', className: 'c', name: 't', status: 'PASSED', durationMs: 1000 },
    ]);
  });

  it('imports an empty report as an empty run', async () => {
    const { input } = await parseFile('empty.xml');
    expect(input.results).toEqual([]);
    expect(input.run).toMatchObject({ project: 'shop', startedAt: '2026-11-20T00:00:00.000Z' });
  });
});

describe('parseJUnit: a test that appears more than once', () => {
  it('records repetitions after a pass as distinct cases name [2], name [3] (TestNG data providers), not as attempts', async () => {
    const { input, warnings } = await parseFile('testng-surefire.xml');
    expect(input.results!.map((r) => [r.name, r.attempt, r.status])).toEqual([
      ['opensCart', 1, 'PASSED'],
      ['addsSku', 1, 'PASSED'],
      ['addsSku [2]', 1, 'PASSED'],
      ['addsSku [3]', 1, 'PASSED'],
      ['loginFails', 1, 'PASSED'],
      // A failure after a pass is another case failing, not a failed retry.
      ['loginFails [2]', 1, 'FAILED'],
      // A testcase literally named like a renamed one repeats that one.
      ['addsSku [2] [2]', 1, 'PASSED'],
    ]);
    expect(warnings).toContain(
      'test "addsSku" (com.acme.shop.CartTest) appears again after passing (a data provider or parametrised case, not a retry); recorded as "addsSku [2]" (and 3 more like it)',
    );
  });

  it('keeps a repetition after a failure as a retry (Gradle retry plugin)', async () => {
    const { input, warnings } = await parseFile('gradle.xml');
    expect(attemptsOf(input.results, 'syncsWarehouse()').map((a) => a.slice(0, 2))).toEqual([
      [1, 'FAILED'],
      [2, 'FAILED'],
    ]);
    expect(warnings).toContain(
      'test "releasesExpiredReservations()" (com.acme.inventory.StockServiceTest) appears again after failing; recorded as a retry (further attempts of the same execution) (and 1 more like it)',
    );
  });

  it("merges pytest's call failure and teardown error, written as two testcases, into one ERROR attempt with both texts", async () => {
    const { input, warnings } = await parseFile('pytest-teardown.xml');
    expect(input.results!.map((r) => [r.name, r.attempt, r.status, r.durationMs, r.message])).toEqual([
      ['test_pull', 1, 'ERROR', 430, 'failed on teardown with "OSError: lock file busy"'],
      // Not adjacent (pytest-xdist interleaves), but the error says "teardown".
      ['test_push', 1, 'ERROR', 310, 'failed on teardown with "TimeoutError"'],
      ['test_ping', 1, 'PASSED', 100, null],
      // Adjacent, with empty elements.
      ['test_stats', 1, 'ERROR', 200, null],
    ]);
    expect(input.results![0]!.stackTrace).toBe(
      'def test_pull(db):\n>       assert db.count() == 4\nE       AssertionError: 3 rows, expected 4\n\ndef db():\nE   OSError: lock file busy',
    );
    expect(warnings).toContain(
      `test "test_pull" (tests.test_sync) appears twice, a failure then an error (pytest's call failure and teardown error); recorded as one ERROR attempt with both texts (and 2 more like it)`,
    );
  });

  it("reads Playwright's includeRetries elements by kind: the testcase's own <error> is attempt 1 wherever the reruns stand", async () => {
    const xml = `<testsuites><testsuite name="s.spec.ts" timestamp="2026-11-20T00:00:00Z">
      <testcase name="always fails" classname="s.spec.ts" time="0.003">
        <rerunError message="boom 2" type="Error" time="0.002"></rerunError>
        <rerunError message="boom 3" type="Error" time="0.001"></rerunError>
        <error message="boom 1" type="Error"></error>
      </testcase></testsuite></testsuites>`;
    const { input } = await parseJUnit(xml, ctx);
    expect(attemptsOf(input.results, 'always fails')).toEqual([
      [1, 'ERROR', 3, 'boom 1'],
      [2, 'ERROR', 2, 'boom 2'],
      [3, 'ERROR', 1, 'boom 3'],
    ]);
  });

  it('keeps a failure then a non-adjacent error without "teardown" as a retry', async () => {
    const xml = `<testsuite name="s" timestamp="2026-11-20T00:00:00">
      <testcase classname="c" name="t"><failure message="boom"/></testcase>
      <testcase classname="c" name="u"/>
      <testcase classname="c" name="t"><error message="crash"/></testcase></testsuite>`;
    const { input } = await parseJUnit(xml, ctx);
    expect(attemptsOf(input.results, 't').map((a) => [a[0], a[1], a[3]])).toEqual([
      [1, 'FAILED', 'boom'],
      [2, 'ERROR', 'crash'],
    ]);
  });
});

describe('parseJUnit: refusals', () => {
  it.each([
    [
      'malformed.xml',
      /^malformed\.xml:7:15: unexpected close tag: <testcase> opened at malformed\.xml:5:5 is still open$/,
    ],
    [
      'truncated.xml',
      /^truncated\.xml:6:7: unclosed tag <failure>: the report ends \(at 7:1\) before its <\/failure>$/,
    ],
    [
      'billion-laughs.xml',
      /^billion-laughs\.xml:2:1: the DOCTYPE declares entities; Assay never expands XML entities/,
    ],
    ['xxe.xml', /^xxe\.xml:2:1: the DOCTYPE declares entities/],
    ['external-dtd.xml', /^external-dtd\.xml:6:33: undefined entity reference/],
  ])('refuses %s with the line and column', async (file, message) => {
    const e = await refusal(parseFile(file));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.message).toMatch(message);
  });

  it('refuses a root element of another format and names it', async () => {
    const e = await refusal(parseJUnit('<?xml version="1.0"?>\n<test-run id="2"/>', ctx));
    expect(e.message).toBe(
      "report.xml:2:1: the root element <test-run> is not JUnit XML (it looks like NUnit 3's own XML; send it as format nunit, or let the format be detected): expected <testsuites> or <testsuite>",
    );
  });

  it('refuses a report over maxBytes, maxTestCases or maxDepth, naming the limit', async () => {
    const big = await refusal(parseJUnit(fixture('junit/pytest.xml'), ctx, { maxBytes: 1000 }));
    expect([big.code, big.message]).toEqual([
      'PAYLOAD_TOO_LARGE',
      'report.xml: the report is larger than REPORT_LIMITS.maxBytes (1000 bytes); split it into several files',
    ]);
    const many = await refusal(parseJUnit(fixture('junit/pytest.xml'), ctx, { maxTestCases: 7 }));
    expect(many.code).toBe('PAYLOAD_TOO_LARGE');
    expect(many.message).toContain('more than REPORT_LIMITS.maxTestCases (7) testcases');
    const deep = await refusal(
      parseJUnit(`${'<testsuite>'.repeat(5)}${'</testsuite>'.repeat(5)}`, ctx, { maxDepth: 4 }),
    );
    expect(deep.message).toBe('report.xml:1:45: elements nest deeper than REPORT_LIMITS.maxDepth (4)');
  });

  it('refuses bytes that are not UTF-8', async () => {
    const e = await refusal(parseJUnit(Buffer.from('<testsuite name="caf\xe9"/>', 'latin1'), ctx));
    expect(e.message).toContain('not valid UTF-8');
  });
});

describe('parseJUnit: what real files get wrong', () => {
  it('refuses a bare & at its own line and column, saying to write &amp;, however the bytes arrive', async () => {
    const expected =
      'bare-ampersand.xml:6:31: an unescaped "&": in XML a bare & must be written &amp; (& starts a reference such as &lt; or &#38;)';
    expect((await refusal(parseFile('bare-ampersand.xml'))).message).toBe(expected);
    const e = await refusal(
      parseJUnit(chunked(fixture('junit/bare-ampersand.xml'), [1]), {
        ...ctx,
        fileName: 'bare-ampersand.xml',
      }),
    );
    expect(e.message).toBe(expected);
    expect((await refusal(parseJUnit('<testsuite name="a &amp b"/>', ctx))).message).toMatch(
      /^report\.xml:1:20: an unescaped "&"/,
    );
    expect(
      (
        await refusal(
          parseJUnit(
            '<testsuite name="s"><testcase name="t"><failure>x &; y</failure></testcase></testsuite>',
            ctx,
          ),
        )
      ).message,
    ).toMatch(/^report\.xml:1:51: an unescaped "&"/);
  });

  it('leaves & alone in CDATA, comments and processing instructions, and reads references', async () => {
    const xml =
      `<?xml version="1.0"?><?pi a && b?><!-- a && b --><testsuite name="s &amp; t &#38; &#x26;">` +
      `<testcase name="t"><failure><![CDATA[a && b]]></failure></testcase></testsuite>`;
    const { input } = await parseJUnit(xml, ctx);
    expect(input.results).toMatchObject([
      { suite: 's & t & &', name: 't', status: 'FAILED', message: 'a && b' },
    ]);
  });

  it('drops whitespace before <?xml with a warning, keeping refusal positions those of the file', async () => {
    const { input, warnings } = await parseFile('leading-whitespace.xml');
    expect(input.results!.map((r) => [r.name, r.status])).toEqual([
      ['emptyCell()', 'PASSED'],
      ['mergedCell()', 'FAILED'],
    ]);
    expect(warnings).toEqual(['the report starts with whitespace before its <?xml declaration; dropped']);
    const broken = await refusal(
      parseJUnit('\n\t <?xml version="1.0"?><testsuite name="s">\n  <testcase name="t"></testsuite>', ctx),
    );
    expect(broken.message).toBe(
      'report.xml:3:34: unexpected close tag: <testcase> opened at report.xml:3:3 is still open',
    );
    const sameLine = await refusal(parseJUnit('  <?xml version="1.0"?><testsuite><x></testsuite>', ctx));
    expect(sameLine.message).toBe(
      'report.xml:1:50: unexpected close tag: <x> opened at report.xml:1:35 is still open',
    );
  });

  it('drops a byte order mark after whitespace too', async () => {
    const { input, warnings } = await parseJUnit(
      ' \uFEFF<?xml version="1.0"?><testsuite name="s"><testcase name="t"/></testsuite>',
      ctx,
    );
    expect(input.results).toMatchObject([{ suite: 's', name: 't', status: 'PASSED' }]);
    expect(warnings).toContain(
      'the report starts with a byte order mark or whitespace before its <?xml declaration; dropped',
    );
  });

  it('replaces characters XML 1.0 forbids (the ESC of colour codes) with one warning, and drops the colour codes from messages', async () => {
    const bytes = fixture('junit/control-characters.xml');
    const { input, warnings } = await parseFile('control-characters.xml');
    const failed = input.results!.find((r) => r.name === 'shows an error')!;
    expect(failed.message).toBe('expect(received).toBe(expected)');
    expect(failed.stackTrace).toBe(
      'Error: expect(received).toBe(expected)\n\nExpected: "Invalid password"\n    at login.spec.ts:12:30',
    );
    const line5 = bytes.toString('utf8').split('\n')[4]!;
    expect(warnings).toEqual([
      `replaced 16 characters that XML 1.0 forbids (first U+001B at 5:${line5.indexOf('\u001b') + 1}) with U+FFFD; terminal colour codes they started are dropped from messages and traces`,
    ]);
    // One character for one: positions after a replaced character are still right.
    const e = await refusal(parseJUnit('<testsuite>\u0007\u001b<x></testsuite>', ctx));
    expect(e.message).toBe(
      'report.xml:1:29: unexpected close tag: <x> opened at report.xml:1:14 is still open',
    );
  });

  it('refuses TeamCity service messages, naming them', async () => {
    const e = await refusal(parseFile('teamcity.xml'));
    expect(e.message).toBe(
      'teamcity.xml:2:1: these are TeamCity service messages (##teamcity[…]), not JUnit XML: have the test runner write a JUnit XML report instead (Codeception: --xml)',
    );
  });

  it('ends a Google Test run whose root time is 0 at its timestamp, not never', async () => {
    const { input } = await parseFile('googletest.xml');
    expect(input.run).toMatchObject({
      startedAt: '2026-11-20T06:30:00.000Z',
      finishedAt: '2026-11-20T06:30:00.000Z',
    });
    // Suites timed 0 under a root with a length (Playwright, all skipped): the root's length wins.
    const skipped = await parseJUnit(
      '<testsuites time="0.022"><testsuite name="s" timestamp="2026-11-20T06:30:00Z" time="0"><testcase name="t" time="0"><skipped/></testcase></testsuite></testsuites>',
      ctx,
    );
    expect(skipped.input.run).toMatchObject({
      startedAt: '2026-11-20T06:30:00.000Z',
      finishedAt: '2026-11-20T06:30:00.022Z',
    });
  });
});

describe('parseJUnit: bounded memory and chunked input', () => {
  it('holds at most maxTextNodeChars of one text node, keeping its head', async () => {
    const xml =
      `<testsuite name="s"><testcase classname="c" name="t" time="1"><failure message="m">${'x'.repeat(300_000)}y</failure>` +
      `<system-out>${'log line\n'.repeat(200_000)}</system-out></testcase></testsuite>`;
    const { input } = await parseJUnit(xml, ctx, { maxTextNodeChars: 4096 });
    expect(input.results).toMatchObject([
      { name: 't', status: 'FAILED', message: 'm', stackTrace: 'x'.repeat(4096) },
    ]);
  });

  it('keeps no more failure text than ingest stores', async () => {
    const xml = `<testsuite name="s"><testcase classname="c" name="t"><failure>${'x'.repeat(300_000)}</failure></testcase></testsuite>`;
    const { input } = await parseJUnit(xml, ctx);
    expect(input.results![0]!.stackTrace).toHaveLength(INGEST_LIMITS.maxTextLength + 1);
  });

  it('reads byte chunks split inside a multi-byte UTF-8 character like the whole file', async () => {
    const bytes = fixture('junit/jest-junit.xml');
    const cuts = [bytes.indexOf(Buffer.from('ü')) + 1, bytes.indexOf(Buffer.from('🛒')) + 2];
    async function* parts() {
      yield bytes.subarray(0, cuts[0]);
      yield bytes.subarray(cuts[0], cuts[1]);
      yield bytes.subarray(cuts[1]);
    }
    const whole = await parseJUnit(bytes, ctx);
    expect(await parseJUnit(parts(), ctx)).toEqual(whole);
    expect(whole.input.results!.map((r) => r.name)).toContain('Cart shows ünïcödé names 🛒');
  });

  it('reads string chunks split inside a surrogate pair like the whole string', async () => {
    const xml = fixture('junit/jest-junit.xml').toString('utf8');
    const cut = xml.indexOf('🛒') + 1; // between the two halves of the emoji
    async function* parts() {
      yield xml.slice(0, cut);
      yield xml.slice(cut);
    }
    expect(await parseJUnit(parts(), ctx)).toEqual(await parseJUnit(xml, ctx));
  });
});
