import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_A, RUN_B } from '../support/fixtures.ts';
import { data, gql, INGEST, testApp } from '../support/app.ts';
import type { App } from '../../src/server/app.ts';
import { print } from 'graphql';
import { QualityGateDocument } from '../generated/contract.ts';

/**
 * The base branch is main: runs a1 and b1 of the shared fixtures. The head is
 * run f1 on branch feature, commit cf:
 *   t1 logs in         PASSED 220 ms
 *   t2 logs out        FAILED 30 ms, PASSED 50 ms on retry (flaky; execution duration 50)
 *   t3 resets password FAILED 90 ms  (passed in b1, main's latest: a new failure)
 *   t4 finds a page    SKIPPED       (left out of every figure)
 *   t5 ranks results   ERROR 100 ms  (passed in b1: a new failure)
 *   t6 new one         PASSED 10 ms  (never ran on main)
 * By hand: 5 executions, 3 passed → pass rate 0.6; 1 flaky → 0.2; 2 new failures.
 * Durations over the tests run on both (t1, t2, t3, t5), main's medians of a1 and b1:
 *   t1 (100, 200) → 150; t2 (40, 60; last attempts) → 50; t3 (50, 80) → 65; t5 (70, 90) → 80: 345 ms
 *   head: 220 + 50 + 90 + 100 = 460 ms → 460 / 345 − 1 = +33.33 %.
 */
const HEAD = {
  run: { id: 'f1', project: 'web', branch: 'feature', commit: 'cf', startedAt: '2026-11-03T10:00:00Z' },
  results: [
    { suite: 'auth', className: 'LoginTest', name: 'logs in', status: 'PASSED', durationMs: 220 },
    {
      suite: 'auth',
      className: 'LoginTest',
      name: 'logs out',
      status: 'FAILED',
      durationMs: 30,
      attempt: 1,
      message: 'timeout',
    },
    { suite: 'auth', className: 'LoginTest', name: 'logs out', status: 'PASSED', durationMs: 50, attempt: 2 },
    {
      suite: 'auth',
      className: 'ResetTest',
      name: 'resets password',
      status: 'FAILED',
      durationMs: 90,
      message: 'expected 200, got 503',
    },
    { suite: 'search', name: 'finds a page', status: 'SKIPPED', durationMs: 0 },
    {
      suite: 'search',
      name: 'ranks results',
      status: 'ERROR',
      durationMs: 100,
      message: 'connection refused',
    },
    { suite: 'search', name: 'new one', status: 'PASSED', durationMs: 10 },
  ],
};

const GATE = `query Gate($filter: ResultFilter, $gate: QualityGateInput!) {
  qualityGate(filter: $filter, gate: $gate) { passed checks { name passed actual threshold message } }
}`;
const HEAD_SLICE = { project: ['web'], branch: ['feature'], commit: ['cf'] };
const STRICT = {
  minPassRate: 0.98,
  maxNewFailures: 0,
  maxFlakyRate: 0.02,
  baseBranch: 'main',
  maxDurationRegressionPct: 10,
};

interface Check {
  name: string;
  passed: boolean;
  actual: number | null;
  threshold: number;
  message: string;
}
type Gate = { qualityGate: { passed: boolean; checks: Check[] } };

describe('qualityGate', () => {
  let app: App;
  beforeAll(async () => {
    app = await testApp();
    for (const input of [RUN_A, RUN_B, HEAD]) await data(app, INGEST, { input });
  });
  afterAll(() => app.close());

  const gate = async (filter: unknown, g: unknown) =>
    (await data<Gate>(app, GATE, { filter, gate: g })).qualityGate;
  const byName = (checks: Check[]) => Object.fromEntries(checks.map((c) => [c.name, c]));

  it('fails each threshold the head commit misses, with the actual figure', async () => {
    const r = await gate(HEAD_SLICE, STRICT);
    expect(r.passed).toBe(false);
    const c = byName(r.checks);
    expect(r.checks.map((x) => x.name)).toEqual([
      'minPassRate',
      'maxNewFailures',
      'maxFlakyRate',
      'maxDurationRegressionPct',
    ]);
    expect(c.minPassRate).toMatchObject({ passed: false, actual: 0.6, threshold: 0.98 });
    expect(c.maxNewFailures).toMatchObject({ passed: false, actual: 2, threshold: 0 });
    expect(c.maxNewFailures!.message).toContain('passed on main');
    // The new failures are named by suite, class and name, not by their hash ids.
    expect(c.maxNewFailures!.message).toMatch(
      /\((auth › ResetTest › resets password; search › ranks results|search › ranks results; auth › ResetTest › resets password)\)/,
    );
    expect(c.maxFlakyRate).toMatchObject({ passed: false, actual: 0.2, threshold: 0.02 });
    expect(c.maxDurationRegressionPct!.passed).toBe(false);
    expect(c.maxDurationRegressionPct!.actual).toBeCloseTo((460 / 345 - 1) * 100, 9);
    expect(c.maxDurationRegressionPct!.message).toContain('4 tests');
  });

  it('passes when every threshold is met, boundaries included', async () => {
    const r = await gate(HEAD_SLICE, {
      minPassRate: 0.6,
      maxNewFailures: 2,
      maxFlakyRate: 0.2,
      baseBranch: 'main',
      maxDurationRegressionPct: 34,
    });
    expect(r.checks.every((c) => c.passed)).toBe(true);
    expect(r.passed).toBe(true);
  });

  it("runs the contract's QualityGate operation as CI sends it", async () => {
    const r = await data<Gate>(app, print(QualityGateDocument), { filter: HEAD_SLICE });
    expect(r.qualityGate.passed).toBe(false);
    expect(r.qualityGate.checks.map((c) => [c.name, c.passed])).toEqual([
      ['minPassRate', false],
      ['maxNewFailures', false],
      ['maxFlakyRate', false],
      ['maxDurationRegressionPct', false],
    ]);
  });

  it('checks only the thresholds given', async () => {
    const r = await gate(HEAD_SLICE, { minPassRate: 0.5 });
    expect(r).toEqual({
      passed: true,
      checks: [expect.objectContaining({ name: 'minPassRate', passed: true, actual: 0.6 })],
    });
  });

  it('fails a slice with no executions: a build that reported nothing is not green', async () => {
    const r = await gate({ project: ['web'], commit: ['no-such-commit'] }, STRICT);
    expect(r.passed).toBe(false);
    expect(r.checks).toHaveLength(4);
    for (const c of r.checks) expect(c).toMatchObject({ passed: false, actual: null });
    expect(r.checks[0]!.message).toContain('No executions match the slice');
  });

  it('does not check against a base branch with no history of these tests', async () => {
    const r = await gate(HEAD_SLICE, { maxNewFailures: 0, baseBranch: 'develop' });
    expect(r.checks[0]).toMatchObject({ name: 'maxNewFailures', passed: true, actual: null });
    expect(r.checks[0]!.message).toContain('develop');
  });

  it('refuses thresholds out of range and base checks without a base branch', async () => {
    for (const [g, field] of [
      [{ minPassRate: 98 }, 'gate.minPassRate'],
      [{ maxNewFailures: 0 }, 'gate.baseBranch'],
      [{ maxNewFailures: -1, baseBranch: 'main' }, 'gate.maxNewFailures'],
      [{}, 'gate'],
    ] as const) {
      const r = await gql(app, GATE, { filter: HEAD_SLICE, gate: g });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});
