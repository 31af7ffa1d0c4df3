import { describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { detectFormat, parseGoTest, parseReport } from '../../src/ingest/index.ts';
import { chunked, fixture, fold, resultNamed } from './support.ts';

const ctx = { project: 'shop', startedAt: new Date('2026-11-20T00:00:00Z') };
const parse = (file: string) => parseReport(fixture(`gotest/${file}`), ctx, { filename: file });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as AssayError,
  );
const PKG = '_/home/james_t/git/test-reporter/reports/go';

// Expected counts from go's own events in each file: one result per test "pass"/"fail"/"skip"
// (subtests included), plus one ERROR "<package>" per package that failed with no failing test (SOURCES.md).
const COUNTS = [
  ['test-reporter.json', { tests: 12, passed: 5, failed: 6, error: 0, skipped: 1 }],
  ['gotestsum.json', { tests: 60, passed: 42, failed: 12, error: 1, skipped: 5 }],
  ['parallel-fails.json', { tests: 12, passed: 4, failed: 8, error: 0, skipped: 0 }],
] as const;

describe('go test -json', () => {
  it.each(COUNTS)('reads %s with the counts of its events', async (file, counts) => {
    const report = await parse(file);
    expect(report.format).toBe('gotest');
    expect(fold(report.input.results ?? [])).toMatchObject({ ...counts, attempts: counts.tests });
  });

  it('maps a test: package as suite, Elapsed, the run event as start, output as the message', async () => {
    const { input } = await parse('test-reporter.json');
    const failing = resultNamed(input.results, 'TestFailing');
    expect(failing).toMatchObject({
      suite: PKG,
      className: null,
      status: 'FAILED',
      durationMs: 890,
      startedAt: '2025-04-22T13:59:55.428Z',
      message: 'calculator_test.go:19: expected 1+1 = 3, got 2',
    });
    // The framing lines (=== RUN, --- FAIL) are not part of the output kept.
    expect(failing.stackTrace).toBe('calculator_test.go:19: expected 1+1 = 3, got 2');
    expect(resultNamed(input.results, 'TestSkipped')).toMatchObject({
      status: 'SKIPPED',
      message: 'calculator_test.go:45: skipping test',
    });
    expect(resultNamed(input.results, 'TestCases/2_+_3_=_4')).toMatchObject({
      status: 'FAILED',
      durationMs: 90,
    });
    expect(resultNamed(input.results, 'TestCases/1_+_2_=_3').status).toBe('PASSED');
  });

  it('records a package that failed with no failing test (TestMain exit) as one ERROR result', async () => {
    const { input } = await parse('gotestsum.json');
    const pkg = input.results!.find((r) => r.name === '<package>')!;
    expect(pkg).toMatchObject({ suite: 'gotest.tools/gotestsum/testjson/internal/badmain', status: 'ERROR' });
  });

  it('records a test cut off by a failing package (a timeout) as an ERROR', async () => {
    const stream = [
      '{"Time":"2026-01-01T00:00:00Z","Action":"run","Package":"p","Test":"TestSlow"}',
      '{"Time":"2026-01-01T00:00:01Z","Action":"output","Package":"p","Output":"panic: test timed out after 1s\\n"}',
      '{"Time":"2026-01-01T00:00:01Z","Action":"fail","Package":"p","Elapsed":1}',
    ].join('\n');
    const { input } = await parseGoTest(stream, ctx);
    expect(input.results!.map((r) => [r.name, r.status, r.message])).toEqual([
      ['TestSlow', 'ERROR', 'did not finish: the package failed (panic: test timed out after 1s)'],
    ]);
  });

  it('drops output attributed to a test that already finished, instead of inventing an unfinished test', async () => {
    const stream = [
      '{"Action":"run","Package":"p","Test":"TestA"}',
      '{"Action":"pass","Package":"p","Test":"TestA","Elapsed":0.01}',
      '{"Action":"output","Package":"p","Test":"TestA","Output":"late line\\n"}',
      '{"Action":"pass","Package":"p","Elapsed":0.02}',
    ].join('\n');
    const { input, warnings } = await parseGoTest(stream, ctx);
    expect(input.results!.map((r) => [r.name, r.status])).toEqual([['TestA', 'PASSED']]);
    expect(warnings).toEqual([]);
  });

  it('reads the same results from a stream in small chunks', async () => {
    const bytes = fixture('gotest/test-reporter.json');
    expect((await parseReport(chunked(bytes, [3, 1, 50]), ctx)).input).toEqual(
      (await parseReport(bytes, ctx)).input,
    );
  });

  it('is detected from its first event, and CTRF is not', () => {
    expect(
      detectFormat('{"Time":"2025-04-22T08:59:55.364618802-05:00","Action":"start","Package":"x"}\n'),
    ).toBe('gotest');
    expect(detectFormat('{"Action":"run","Package":"x","Test":"TestA"}')).toBe('gotest');
    expect(detectFormat('{\n  "results": {"tool": {"name": "jest"}}}')).toBe('ctrf');
  });

  it('refuses a broken JSON line, and an event without Action, naming the line', async () => {
    const broken = await refusal(
      parseGoTest('{"Action":"run","Package":"p","Test":"A"}\n{"Action":"pass",', ctx),
    );
    expect(broken.code).toBe('BAD_USER_INPUT');
    expect(broken.message).toMatch(/^report\.json:2: not a JSON object \(/);
    const noAction = await refusal(parseGoTest('{"Time":"2026-01-01T00:00:00Z","Package":"p"}', ctx));
    expect(noAction.message).toMatch(/^report\.json:1: the event has no "Action" string/);
    const long = await refusal(
      parseGoTest(`{"Action":"output","Output":"${'x'.repeat(200)}"}`, ctx, { maxTextNodeChars: 100 }),
    );
    expect(long.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
