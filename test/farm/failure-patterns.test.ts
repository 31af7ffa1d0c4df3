import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { data, INGEST, testApp } from '../support/app.ts';

// Two runs of 10 attempts that ran each (plus one skipped), with two failure patterns whose
// concentrations are worked out by hand below.
//
// Attempts that ran, per value (the baseline, 20 in all):
//   worker gpu-3 4, gpu-1 4, w1 8, w2 4; hardware cuda 8, cpu 12; branch main 10, dev 10;
//   tag model=bert 6 (gpu-3's 4 and w2's t9 twice); suite farm 20.
// Pattern A "CUDA error: illegal memory access at <hex> (stream <num>)": 4 occurrences, all on gpu-3
//   (cuda, model=bert), 3 in r1 (main) and 1 in r2 (dev); tests t1 (3) and t2 (1).
// Pattern B "request <uuid> failed at <ts> after <num> ms": 3 occurrences: t3 on w1 in r1 (main),
//   t3 on w1 and t4 on gpu-1 in r2 (dev).
// t10 fails without a message: it is work (baseline) but no pattern.
const R1 = '2026-11-05T10:00:';
const R2 = '2026-11-06T10:00:';
type Row = Record<string, unknown>;
const res = (
  at: string,
  name: string,
  worker: string,
  status: string,
  message?: string,
  extra: Row = {},
): Row => ({
  suite: 'farm',
  name,
  status,
  durationMs: 10,
  startedAt: at,
  worker,
  hardware: worker.startsWith('gpu') ? 'cuda' : 'cpu',
  ...(message ? { message } : {}),
  ...extra,
});
const bert = { tags: { model: 'bert' } };
const RUN_1 = {
  run: { id: 'r1', project: 'farm', branch: 'main', startedAt: `${R1}00Z` },
  results: [
    res(
      `${R1}01Z`,
      't1',
      'gpu-3',
      'FAILED',
      'CUDA error: illegal memory access at 0x7ffd5e8c3a10 (stream 3)',
      bert,
    ),
    res(
      `${R1}02Z`,
      't2',
      'gpu-3',
      'FAILED',
      'CUDA error: illegal memory access at 0x7f0011aa (stream 12)',
      bert,
    ),
    res(`${R1}03Z`, 't1', 'gpu-3', 'FAILED', 'CUDA error: illegal memory access at 0xdeadbeef (stream 0)', {
      ...bert,
      attempt: 2,
    }),
    res(
      `${R1}04Z`,
      't3',
      'w1',
      'FAILED',
      'request 550e8400-e29b-41d4-a716-446655440000 failed at 2026-11-05T10:00:03.123Z after 3012 ms',
    ),
    res(`${R1}05Z`, 't5', 'w1', 'PASSED'),
    res(`${R1}06Z`, 't6', 'w1', 'PASSED'),
    res(`${R1}07Z`, 't7', 'w1', 'PASSED'),
    res(`${R1}08Z`, 't8', 'gpu-1', 'PASSED'),
    res(`${R1}09Z`, 't9', 'w2', 'PASSED', undefined, bert),
    res(`${R1}10Z`, 't10', 'w2', 'FAILED'),
    res(`${R1}11Z`, 't11', 'w2', 'SKIPPED'),
  ],
};
const RUN_2 = {
  run: { id: 'r2', project: 'farm', branch: 'dev', startedAt: `${R2}00Z` },
  results: [
    res(`${R2}01Z`, 't1', 'gpu-3', 'FAILED', 'CUDA error: illegal memory access at 0x55aa (stream 7)', bert),
    res(
      `${R2}02Z`,
      't3',
      'w1',
      'FAILED',
      'request 123e4567-e89b-12d3-a456-426614174000 failed at 2026-11-06 10:00:05 after 998.5 ms',
    ),
    res(
      `${R2}03Z`,
      't4',
      'gpu-1',
      'FAILED',
      'request 9b2f0c1e-0000-4000-8000-00000000abcd failed at 2026-11-06T10:00:06+01:00 after 17 ms',
    ),
    res(`${R2}04Z`, 't5', 'w1', 'PASSED'),
    res(`${R2}05Z`, 't6', 'w1', 'PASSED'),
    res(`${R2}06Z`, 't7', 'w1', 'PASSED'),
    res(`${R2}07Z`, 't8', 'gpu-1', 'PASSED'),
    res(`${R2}08Z`, 't12', 'gpu-1', 'PASSED'),
    res(`${R2}09Z`, 't9', 'w2', 'PASSED', undefined, bert),
    res(`${R2}10Z`, 't13', 'w2', 'PASSED'),
  ],
};

const QUERY = `query($filter: ResultFilter, $first: Int) { failurePatterns(filter: $filter, first: $first) {
  fingerprint pattern sample occurrences tests affectedTests { name } firstSeen lastSeen
  daily { day occurrences }
  correlations { dimension tag value occurrences share baselineShare lift }
} }`;

interface Pattern {
  fingerprint: string;
  pattern: string;
  sample: string;
  occurrences: number;
  tests: number;
  affectedTests: { name: string }[];
  firstSeen: string;
  lastSeen: string;
  daily: { day: string; occurrences: number }[];
  correlations: {
    dimension: string | null;
    tag: string | null;
    value: string;
    occurrences: number;
    share: number;
    baselineShare: number;
    lift: number;
  }[];
}

let app: App;
beforeAll(async () => {
  app = await testApp();
  await data(app, INGEST, { input: RUN_1 });
  await data(app, INGEST, { input: RUN_2 });
});
afterAll(async () => app.close());

const patterns = async (variables: Row = {}) =>
  (await data<{ failurePatterns: Pattern[] }>(app, QUERY, variables)).failurePatterns;
const md5 = (s: string) => createHash('md5').update(s).digest('hex').slice(0, 16);
const A = 'CUDA error: illegal memory access at <hex> (stream <num>)';
const B = 'request <uuid> failed at <ts> after <num> ms';

describe('failurePatterns', () => {
  it('clusters messages that differ only in addresses, ids, timestamps and numbers', async () => {
    const [a, b, ...rest] = await patterns();
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      fingerprint: md5(A),
      pattern: A,
      sample: 'CUDA error: illegal memory access at 0x7ffd5e8c3a10 (stream 3)',
      occurrences: 4,
      tests: 2,
      affectedTests: [{ name: 't1' }, { name: 't2' }],
      firstSeen: `${R1}01.000Z`,
      lastSeen: `${R2}01.000Z`,
      daily: [
        { day: '2026-11-05T00:00:00.000Z', occurrences: 3 },
        { day: '2026-11-06T00:00:00.000Z', occurrences: 1 },
      ],
    });
    expect(b).toMatchObject({
      fingerprint: md5(B),
      pattern: B,
      occurrences: 3,
      tests: 2,
      affectedTests: [{ name: 't3' }, { name: 't4' }],
      daily: [
        { day: '2026-11-05T00:00:00.000Z', occurrences: 1 },
        { day: '2026-11-06T00:00:00.000Z', occurrences: 2 },
      ],
    });
  });

  it('names the values a pattern is concentrated on, with lift against their share of the work', async () => {
    const [a, b] = await patterns();
    // A: gpu-3 holds 4/4 of it and 4/20 of the work → lift 5; model=bert 4/4 against 6/20 → 10/3;
    // cuda 4/4 against 8/20 → 2.5; main 3/4 against 10/20 → 1.5. Suite farm (lift 1) and dev (0.5) are not listed.
    expect(a!.correlations).toEqual([
      {
        dimension: 'WORKER',
        tag: null,
        value: 'gpu-3',
        occurrences: 4,
        share: 1,
        baselineShare: 0.2,
        lift: 5,
      },
      {
        dimension: null,
        tag: 'model',
        value: 'bert',
        occurrences: 4,
        share: 1,
        baselineShare: 0.3,
        lift: expect.closeTo(10 / 3, 12),
      },
      {
        dimension: 'HARDWARE',
        tag: null,
        value: 'cuda',
        occurrences: 4,
        share: 1,
        baselineShare: 0.4,
        lift: 2.5,
      },
      {
        dimension: 'BRANCH',
        tag: null,
        value: 'main',
        occurrences: 3,
        share: 0.75,
        baselineShare: 0.5,
        lift: 1.5,
      },
    ]);
    // B: w1 2/3 against 8/20 → 5/3; dev 2/3 against 10/20 → 4/3; cpu 2/3 against 12/20 → 10/9.
    // gpu-1, cuda and main hold one occurrence each: too few to call a concentration.
    expect(b!.correlations.map((c) => [c.dimension, c.value, c.occurrences])).toEqual([
      ['WORKER', 'w1', 2],
      ['BRANCH', 'dev', 2],
      ['HARDWARE', 'cpu', 2],
    ]);
    expect(b!.correlations.map((c) => c.lift)).toEqual([
      expect.closeTo(5 / 3, 12),
      expect.closeTo(4 / 3, 12),
      expect.closeTo(10 / 9, 12),
    ]);
  });

  it('follows the filter and `first`', async () => {
    const dev = await patterns({ filter: { branch: ['dev'] } });
    // In r2 alone: B has 2 occurrences of 10 attempts, A 1. B's are one on w1 (cpu) and one on gpu-1
    // (cuda), each too few to call, and all on dev, which is the whole slice (lift 1): no correlation.
    expect(dev.map((p) => [p.pattern, p.occurrences])).toEqual([
      [B, 2],
      [A, 1],
    ]);
    expect(dev[0]!.correlations).toEqual([]);
    expect((await patterns({ first: 1 })).map((p) => p.pattern)).toEqual([A]);
    expect(await patterns({ filter: { project: ['nothing'] } })).toEqual([]);
  });

  it('refuses a page size out of range', async () => {
    const r = await import('../support/app.ts').then((m) => m.gql(app, QUERY, { first: 0 }));
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
