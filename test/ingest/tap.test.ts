import { describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { detectFormat, parseReport, parseTap } from '../../src/ingest/index.ts';
import { chunked, fixture, fold, resultNamed } from './support.ts';

const ctx = { project: 'shop', startedAt: new Date('2026-11-20T00:00:00Z') };
const parse = (file: string) => parseReport(fixture(`tap/${file}`), ctx, { filename: file });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as AssayError,
  );

// Expected counts from each file's plan (1..N) and its test lines (SOURCES.md); a test point with
// subtests is their suite, so its leaves are counted instead.
const COUNTS = [
  ['node-test-cjs.tap', { tests: 2, passed: 0, failed: 2, skipped: 0 }],
  ['node-test-mjs.tap', { tests: 2, passed: 0, failed: 2, skipped: 0 }],
  ['tap14-subtest.tap', { tests: 1, passed: 1, failed: 0, skipped: 0 }],
  ['skipping-a-few.tap', { tests: 5, passed: 1, failed: 0, skipped: 4 }],
  ['test-more-todo.tap', { tests: 4, passed: 3, failed: 0, skipped: 1 }],
  ['node-tap-nested.tap', { tests: 6, passed: 6, failed: 0, skipped: 0 }],
] as const;

describe('TAP', () => {
  it.each(COUNTS)('reads %s with the counts of its plan', async (file, counts) => {
    const report = await parse(file);
    expect(report.format).toBe('tap');
    expect(fold(report.input.results ?? [])).toMatchObject({ ...counts, error: 0, attempts: counts.tests });
  });

  it('reads YAML diagnostics (duration_ms, error, stack) and names subtests by their parent', async () => {
    const { input } = await parse('node-test-cjs.tap');
    const throws = resultNamed(input.results, 'uhoh, this one throws');
    expect(throws).toMatchObject({
      suite: 'TAP',
      status: 'FAILED',
      durationMs: 0.686,
      message: 'Invalid time value',
    });
    expect(throws.stackTrace).toMatch(/^Date\.toISOString \(<anonymous>\)\nexports\.thrower/);
    expect(resultNamed(input.results, 'nesting test')).toMatchObject({
      suite: 'test thing',
      status: 'FAILED',
      durationMs: 0.053,
      message: 'ok',
    });
  });

  it('names nested subtests by their parents and reads node-tap # time= comments', async () => {
    const { input } = await parse('node-tap-nested.tap');
    expect(input.results!.map((r) => [r.suite, r.name, r.durationMs])).toEqual([
      ['../tap/test/test/ok.js / nesting / first', 'true is ok', 0],
      ['../tap/test/test/ok.js / nesting / first', 'doag is also okay', 0],
      ['../tap/test/test/ok.js / nesting / second', 'but that is ok', 0],
      ['../tap/test/test/ok.js / nesting / second', 'this passes', 0],
      ['../tap/test/test/ok.js / nesting / second', 'nested ok', 0],
      ['../tap/test/test/ok.js', 'this passes', 0],
    ]);
    const { input: timed } = await parseTap(
      'TAP version 13\nok 1 - first # time=8.987ms\nnot ok 2 - slow # time=1.5s\n1..2\n',
      ctx,
    );
    expect(timed.results!.map((r) => [r.name, r.status, r.durationMs])).toEqual([
      ['first', 'PASSED', 8.987],
      ['slow', 'FAILED', 1500],
    ]);
  });

  it('reads # SKIP and # TODO directives', async () => {
    const todo = await parse('test-more-todo.tap');
    expect(resultNamed(todo.input.results, 'should be equivalent')).toMatchObject({
      status: 'SKIPPED',
      message: 'TODO: but we will fix it later',
    });
    const skip = await parse('skipping-a-few.tap');
    expect(resultNamed(skip.input.results, 'test 2')).toMatchObject({
      status: 'SKIPPED',
      message: 'SKIP: no /sys directory',
    });
  });

  it('records a parent that failed with no failing subtest as an ERROR', async () => {
    const tap =
      "TAP version 13\n# Subtest: cart\n    ok 1 - adds\n    1..1\nnot ok 1 - cart\n  ---\n  error: 'after hook failed'\n  ...\n1..1\n";
    const { input } = await parseTap(tap, ctx);
    expect(input.results!.map((r) => [r.suite, r.name, r.status, r.message])).toEqual([
      ['cart', 'adds', 'PASSED', null],
      ['TAP', 'cart', 'ERROR', 'after hook failed'],
    ]);
  });

  it('reads the same results from a stream in small chunks', async () => {
    const bytes = fixture('tap/node-test-mjs.tap');
    expect((await parseReport(chunked(bytes, [2, 1, 17]), ctx)).input).toEqual(
      (await parseReport(bytes, ctx)).input,
    );
  });

  it('is detected from its first line, after comments', () => {
    expect(detectFormat('TAP version 13\n# Subtest: x')).toBe('tap');
    expect(detectFormat('1..4\nok 1 - a')).toBe('tap');
    expect(detectFormat('# TAP emitted by Test::More 0.98\nok 1 - should be equal\n')).toBe('tap');
    expect(detectFormat("##teamcity[testStarted name='a']\n")).toBeNull();
  });

  it('refuses an unclosed YAML block and text that is not TAP, naming the line', async () => {
    const open = await refusal(
      parseTap('TAP version 13\nnot ok 1 - a\n  ---\n  message: x\nok 2 - b\n', ctx),
    );
    expect(open.message).toBe(
      'report.tap:3: the YAML block (---) of test "a" has no closing "..." before line 5',
    );
    const none = await refusal(parseTap('hello\nworld\n', ctx));
    expect(none.message).toMatch(/^report\.tap:1: no TAP found/);
    const version = await refusal(parseTap('TAP version 99\n', ctx));
    expect(version.message).toBe('report.tap:1: TAP version 99 is not read; TAP 12, 13 and 14 are');
  });
});
