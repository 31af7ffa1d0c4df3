import { describe, expect, it } from 'vitest';
import { AssayError } from '../../src/domain/errors.ts';
import { testId } from '../../src/domain/ids.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import { INGEST_LIMITS } from '../../src/domain/ingest.ts';
import { parseTimestamp } from '../../src/domain/time.ts';

const run = { id: 'r1', project: 'web', startedAt: '2026-11-01T10:00:00Z', tags: { os: 'linux' } };

describe('validateIngest', () => {
  it('gives the same test the same id in every run, and different tests different ids', () => {
    const key = { project: 'web', suite: 'auth', className: 'LoginTest', name: 'logs out' };
    expect(testId(key)).toBe(testId({ ...key }));
    expect(testId(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(testId(key)).not.toBe(testId({ ...key, name: 'logs in' }));
    // Separators keep ("ab","c") apart from ("a","bc").
    expect(testId({ project: 'p', suite: 'ab', className: null, name: 'c' })).not.toBe(
      testId({ project: 'p', suite: 'a', className: null, name: 'bc' }),
    );
  });

  it('reports every bad row by index and field and keeps the good ones', () => {
    const b = validateIngest({
      run,
      results: [
        { suite: 'a', name: 'ok', status: 'passed', durationMs: 1 },
        { suite: '', name: 'x', status: 'PASSED', durationMs: 1 },
        { suite: 'a', name: 'y', status: 'BROKEN', durationMs: Number.NaN },
        { suite: 'a', name: 'z', status: 'PASSED', durationMs: 1, attempt: 0, startedAt: '01/11/2026' },
        { suite: 'a', name: 'w', status: 'PASSED', durationMs: 1, tags: { batch_size: 8 } },
        {
          suite: 'a',
          name: 'v',
          status: 'PASSED',
          durationMs: 1,
          metrics: [{ name: 'm', value: Number.POSITIVE_INFINITY }],
        },
      ],
    });
    expect(b.results.map((r) => r.name)).toEqual(['ok']);
    expect(b.results[0]!.status).toBe('PASSED');
    expect(b.errors.map((e) => [e.index, e.field])).toEqual([
      [1, 'suite'],
      [2, 'status'],
      [2, 'durationMs'],
      [3, 'attempt'],
      [3, 'startedAt'],
      [4, 'tags'],
      [5, 'metrics[0].value'],
    ]);
    expect(b.errors.find((e) => e.field === 'status')!.message).toContain('PASSED, FAILED, ERROR, SKIPPED');
  });

  it('refuses durations beyond 31 days and metric values beyond 1e15 in magnitude, naming the row', () => {
    const max = INGEST_LIMITS.maxDurationMs;
    expect(max).toBe(2_678_400_000);
    const b = validateIngest({
      run,
      results: [
        { suite: 'a', name: 'huge', status: 'PASSED', durationMs: 1.7e308 },
        { suite: 'a', name: 'just over', status: 'PASSED', durationMs: max + 1 },
        { suite: 'a', name: 'at the limit', status: 'PASSED', durationMs: max },
        {
          suite: 'a',
          name: 'big metric',
          status: 'PASSED',
          durationMs: 1,
          metrics: [{ name: 'm', value: -1.7e308 }],
        },
        {
          suite: 'a',
          name: 'metric at the limit',
          status: 'PASSED',
          durationMs: 1,
          metrics: [{ name: 'm', value: -1e15 }],
        },
      ],
    });
    expect(b.results.map((r) => r.name)).toEqual(['at the limit', 'metric at the limit']);
    expect(b.errors.map((e) => [e.index, e.field])).toEqual([
      [0, 'durationMs'],
      [1, 'durationMs'],
      [3, 'metrics[0].value'],
    ]);
    expect(b.errors[0]!.message).toBe(
      'must be a number of milliseconds from 0 to 2678400000 (31 days) (got 1.7e+308)',
    );
    expect(b.errors[2]!.message).toContain('magnitude at most 1e+15');
  });

  it("overlays the run's tags with the result's own and defaults start time and attempt", () => {
    const b = validateIngest({
      run,
      results: [{ suite: 'a', name: 'n', status: 'FAILED', durationMs: 2, tags: { os: 'mac', gpu: 'a100' } }],
    });
    expect(b.results[0]).toMatchObject({
      tags: { os: 'mac', gpu: 'a100' },
      attempt: 1,
      startedAt: new Date('2026-11-01T10:00:00Z'),
    });
  });

  it('refuses a batch over the size limit, naming the limit', () => {
    const results = Array.from({ length: INGEST_LIMITS.maxResults + 1 }, () => ({
      suite: 'a',
      name: 'n',
      status: 'PASSED',
      durationMs: 1,
    }));
    expect(() => validateIngest({ run, results })).toThrow(new RegExp(`at most ${INGEST_LIMITS.maxResults}`));
  });

  it('accepts at least 10,000 results in one call', () => {
    const results = Array.from({ length: 10_000 }, (_, i) => ({
      suite: 'a',
      name: `n${i}`,
      status: 'PASSED',
      durationMs: 1,
    }));
    expect(validateIngest({ run, results }).results).toHaveLength(10_000);
  });

  it('refuses a run without a project or with an unreadable start, as bad input', () => {
    const bad = (r: object) => {
      try {
        validateIngest({ run: r as typeof run });
      } catch (e) {
        return e as AssayError;
      }
      throw new Error('expected a refusal');
    };
    expect(bad({ ...run, project: ' ' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'run.project' },
    });
    expect(bad({ ...run, startedAt: 'soon' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'run.startedAt' },
    });
    expect(bad({ ...run, finishedAt: '2026-10-01T00:00:00Z' }).message).toContain('before run.startedAt');
  });

  it('truncates very long messages instead of refusing the row', () => {
    const b = validateIngest({
      run,
      results: [
        {
          suite: 'a',
          name: 'n',
          status: 'FAILED',
          durationMs: 1,
          message: 'x'.repeat(INGEST_LIMITS.maxTextLength + 10),
        },
      ],
    });
    expect(b.results[0]!.message!.length).toBeLessThan(INGEST_LIMITS.maxTextLength + 100);
    expect(b.results[0]!.message).toContain('truncated');
  });
});

describe('parseTimestamp', () => {
  it('reads ISO-8601 with Z, with an offset, and without one as UTC', () => {
    expect(parseTimestamp('2026-11-01T10:00:00Z')).toEqual(new Date(Date.UTC(2026, 10, 1, 10)));
    expect(parseTimestamp('2026-11-01T12:00:00+02:00')).toEqual(new Date(Date.UTC(2026, 10, 1, 10)));
    expect(parseTimestamp('2026-11-01T10:00:00.250')).toEqual(new Date(Date.UTC(2026, 10, 1, 10, 0, 0, 250)));
  });
  it('refuses days and times that do not exist instead of rolling them over', () => {
    expect(parseTimestamp('2026-02-30T10:00:00Z')).toBe(
      '"2026-02-30T10:00:00Z" is not a real date and time: it has day 30, but February 2026 has 28 days',
    );
    expect(parseTimestamp('2026-04-31')).toMatch(/ISO-8601/); // no time of day at all
    expect(parseTimestamp('2026-04-31T00:00:00')).toMatch(/April 2026 has 30 days/);
    expect(parseTimestamp('2100-02-29T00:00:00Z')).toMatch(/February 2100 has 28 days/); // a century, not a leap year
    expect(parseTimestamp('2028-02-29T00:00:00Z')).toEqual(new Date(Date.UTC(2028, 1, 29)));
    expect(parseTimestamp('2000-02-29T00:00:00Z')).toEqual(new Date(Date.UTC(2000, 1, 29)));
    expect(parseTimestamp('2026-11-01T24:00:00Z')).toMatch(/time of day that does not exist/);
    expect(parseTimestamp('2026-11-01T10:60Z')).toMatch(/time of day that does not exist/);
    expect(parseTimestamp('2026-00-10T10:00Z')).toMatch(/months run from 01 to 12/);
  });

  it('refuses an impossible run start, and reports an impossible result start by row, naming the field', () => {
    expect(() => validateIngest({ run: { ...run, startedAt: '2026-02-30T10:00:00Z' }, results: [] })).toThrow(
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        details: { field: 'run.startedAt' },
        message: expect.stringContaining('run.startedAt "2026-02-30T10:00:00Z" is not a real date'),
      }),
    );
    const b = validateIngest({
      run,
      results: [
        { suite: 'a', name: 'n', status: 'PASSED', durationMs: 1, startedAt: '2026-02-30T10:00:00Z' },
      ],
    });
    expect(b.results).toEqual([]);
    expect(b.errors).toEqual([
      { index: 0, field: 'startedAt', message: expect.stringContaining('February 2026 has 28 days') },
    ]);
  });

  it('explains what is wrong with a non-date', () => {
    expect(parseTimestamp('2026-13-45T99:00:00Z')).toMatch(/not a real date/);
    expect(parseTimestamp(12)).toMatch(/ISO-8601/);
  });
});
