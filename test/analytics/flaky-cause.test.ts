import { describe, expect, it } from 'vitest';
import { flakinessFromAggregates } from '../../src/analytics/flakiness.ts';
import {
  type Attribution,
  attributeCauses,
  binomialUpperTail,
  poolValues,
} from '../../src/analytics/flaky-cause.ts';
import type { FlakinessAggregates, FlakinessValueSums } from '../../src/domain/flakiness.ts';

/** A test's sums: `free` free executions of weight 1 each, `evidence` of them evidence, one recent retry among them. */
function aggregates(testId: string, free: number, evidence: number): FlakinessAggregates {
  return {
    testId,
    executions: free,
    failures: evidence,
    flakyExecutions: evidence,
    inconsistentCommits: 0,
    sumW: free,
    sumW2: free,
    sumV: free,
    sumV2: free,
    sumWF: evidence,
    flipW: free - 1,
    flipSum: 0,
    failingNow: false,
    recentStrongEvidence: evidence > 0 ? 1 : 0,
    recentTransientRuns: 0,
    lastFlakeAt: null,
  };
}

type Value = Omit<FlakinessValueSums, 'testExecutions' | 'testEvidence'>;

/** Per-value sums with unit weights; a value's evidence is retries, the latest `age` executions back. */
function value(
  testId: string,
  v: string | null,
  executions: number,
  evidence: number,
  dimension: 'WORKER' | 'HARDWARE' = 'WORKER',
  age = 0,
): Value {
  return {
    testId,
    dimension,
    value: v,
    executions,
    evidence,
    sumV: executions,
    sumV2: executions,
    sumWF: evidence,
    strongAge: evidence > 0 ? age : null,
    transientRuns: [],
  };
}

/**
 * Runs the attribution as the resolver does: every value a test ran on pooled, but only the
 * values it has evidence on handed over per test (what src/db/flakiness-cause.ts returns).
 */
function attribute(
  tests: readonly { aggregates: FlakinessAggregates; values: readonly Value[] }[],
): Map<string, Attribution> {
  const full = tests.map((t) => {
    const withTotals = (d: string) => {
      const own = t.values.filter((v) => v.dimension === d);
      const n = own.reduce((s, v) => s + v.executions, 0);
      const e = own.reduce((s, v) => s + v.evidence, 0);
      return own.map((v): FlakinessValueSums => ({ ...v, testExecutions: n, testEvidence: e }));
    };
    return { aggregates: t.aggregates, values: [...withTotals('WORKER'), ...withTotals('HARDWARE')] };
  });
  const pools = poolValues(full.flatMap((t) => t.values));
  return attributeCauses(
    full.map((t) => ({ aggregates: t.aggregates, values: t.values.filter((v) => v.evidence > 0) })),
    pools,
    { recent: 100 },
  );
}

describe('binomialUpperTail', () => {
  it('matches hand-worked binomial tails', () => {
    expect(binomialUpperTail(2, 2, 0.5)).toBeCloseTo(0.25, 12);
    // 1 − 0.9¹⁰ − 10·0.1·0.9⁹ − 45·0.01·0.9⁸
    expect(binomialUpperTail(3, 10, 0.1)).toBeCloseTo(0.0701908264, 9);
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
  });
});

describe('attributeCauses', () => {
  it('blames a worker that holds all six failures of a test it ran a quarter of the executions of', () => {
    // P(all 6 on w3 | Bin(6, ¼)) = 4⁻⁶ = 0.000244 ≤ 0.001; share 1, lift 4.
    const values = [
      value('a', 'w1', 25, 0),
      value('a', 'w2', 25, 0),
      value('a', 'w3', 25, 6),
      value('a', 'w4', 25, 0),
      value('a', 'cpu', 100, 6, 'HARDWARE'),
    ];
    const got = attribute([{ aggregates: aggregates('a', 100, 6), values }]).get('a');
    expect(got?.cause).toEqual({ dimension: 'WORKER', value: 'w3', share: 1 });
    // Scored on the other 75 executions: no evidence there, so the rate is 0 and the test is STABLE.
    expect(got?.aggregates).toMatchObject({ sumV: 75, sumV2: 75, sumWF: 0, recentStrongEvidence: 0 });
    expect(flakinessFromAggregates(got!.aggregates)).toMatchObject({ score: 0, classification: 'STABLE' });
  });

  it("leaves exactly no evidence when all of it is on the cause, whatever the sums' last bits", () => {
    // The database keeps weighted sums rescaled as the history grows: the test's and the value's
    // sums of the same evidence can differ in their last bits (0.1 + 0.2 against 0.3 here).
    const values = [
      value('f', 'w1', 25, 0),
      value('f', 'w2', 25, 0),
      { ...value('f', 'w3', 25, 6), sumWF: 0.3 },
      value('f', 'w4', 25, 0),
    ];
    const got = attribute([{ aggregates: { ...aggregates('f', 100, 6), sumWF: 0.1 + 0.2 }, values }]).get(
      'f',
    );
    expect(got?.cause).toEqual({ dimension: 'WORKER', value: 'w3', share: 1 });
    expect(got?.aggregates.sumWF).toBe(0);
    expect(flakinessFromAggregates(got!.aggregates)).toMatchObject({ score: 0, classification: 'STABLE' });
  });

  it('keeps a test whose failures are spread over the workers as its own, and the hardware it always runs on is no cause', () => {
    const values = [
      value('b', 'w1', 25, 2),
      value('b', 'w2', 25, 2),
      value('b', 'w3', 25, 1),
      value('b', 'w4', 25, 1),
      value('b', 'cpu', 100, 6, 'HARDWARE'),
    ];
    expect(attribute([{ aggregates: aggregates('b', 100, 6), values }]).size).toBe(0);
  });

  it('does not blame a worker for one failure of one test, but does when many tests fail there', () => {
    const one = (id: string) => ({
      aggregates: aggregates(id, 40, 1),
      values: [
        value(id, 'w1', 10, 0),
        value(id, 'w2', 10, 0),
        value(id, 'w3', 10, 1),
        value(id, 'w4', 10, 0),
      ],
    });
    // Alone: P = ¼ is chance.
    expect(attribute([one('c0')]).size).toBe(0);
    // Five tests, each with its one failure on w3: pooled P(5 of 5 | Bin(5, ¼)) = 4⁻⁵ = 0.00098 ≤ 0.001, lift 4.
    const five = attribute(['c0', 'c1', 'c2', 'c3', 'c4'].map(one));
    expect([...five.keys()].sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(five.get('c0')?.cause).toEqual({ dimension: 'WORKER', value: 'w3', share: 1 });
  });

  it('leaves a flaky test FLAKY, scored off the worker, when it also flakes elsewhere', () => {
    // 8 of 10 failures on w3 (a quarter of the runs): P(≥ 8 | Bin(10, ¼)) = 0.000416; two recent retries elsewhere.
    const values = [
      value('d', 'w1', 30, 1, 'WORKER', 3),
      value('d', 'w2', 30, 1, 'WORKER', 7),
      value('d', 'w3', 30, 8),
      value('d', 'w4', 30, 0),
    ];
    const got = attribute([{ aggregates: aggregates('d', 120, 10), values }]).get('d');
    expect(got?.cause).toEqual({ dimension: 'WORKER', value: 'w3', share: 0.8 });
    expect(flakinessFromAggregates(got!.aggregates)).toMatchObject({
      score: 2 / 90,
      classification: 'FLAKY',
    });
  });

  it('scores a test that flakes on every worker without its runs on a sick one, and keeps it its own cause', () => {
    const one = (id: string) => ({
      aggregates: aggregates(id, 40, 1),
      values: [
        value(id, 'w1', 10, 0),
        value(id, 'w2', 10, 0),
        value(id, 'w3', 10, 1),
        value(id, 'w4', 10, 0),
      ],
    });
    // One failure on each worker: a quarter of its evidence on w3, no concentration. Ten other tests make w3 sick.
    const e = {
      aggregates: aggregates('e', 40, 4),
      values: [
        value('e', 'w1', 10, 1, 'WORKER', 2),
        value('e', 'w2', 10, 1, 'WORKER', 5),
        value('e', 'w3', 10, 1),
        value('e', 'w4', 10, 1, 'WORKER', 9),
      ],
    };
    const got = attribute([...Array.from({ length: 10 }, (_, i) => one(`c${i}`)), e]).get('e');
    expect(got?.cause).toBeNull();
    // 3 evidence in the 30 executions elsewhere.
    expect(flakinessFromAggregates(got!.aggregates)).toMatchObject({ score: 0.1, classification: 'FLAKY' });
  });

  it('rejects options out of range', () => {
    expect(() => attributeCauses([], [], { recent: 100, minShare: 0 })).toThrow(RangeError);
    expect(() => attributeCauses([], [], { recent: 100, alpha: 1 })).toThrow(RangeError);
  });
});
