import { afterEach, describe, expect, it } from 'vitest';
import { INGEST, data, gql, testApp } from '../support/app.ts';
import type { App } from '../../src/server/app.ts';

/**
 * Quarantine over a real in-memory gateway whose clock the test moves
 * (`clock`), never the wall clock.
 */
let clock = new Date('2026-11-21T00:00:00Z');
let app: App;
afterEach(async () => {
  await app?.close();
});

async function open(): Promise<App> {
  clock = new Date('2026-11-21T00:00:00Z');
  app = await testApp({ now: () => clock });
  return app;
}

type Status = 'PASSED' | 'FAILED' | 'ERROR' | 'SKIPPED';
interface Row {
  readonly name: string;
  readonly status: Status;
  readonly attempt?: number;
  readonly className?: string;
}

/** One run of project api at `at`, results starting then; the app's clock moves to a minute after it and rules run. */
async function run(id: string, at: string, rows: readonly Row[], extra: Record<string, unknown> = {}) {
  clock = new Date(new Date(at).getTime() + 60_000);
  await data(app, INGEST, {
    input: {
      run: { id, project: 'api', branch: 'main', commit: id, startedAt: at, ...extra },
      results: rows.map((r) => ({
        suite: 'tests.test_shop',
        className: r.className ?? 'tests.test_shop.TestCart',
        name: r.name,
        status: r.status,
        attempt: r.attempt ?? 1,
        durationMs: 10,
        startedAt: at,
      })),
    },
  });
  await app.alerts.idle();
}

async function ids(): Promise<Record<string, string>> {
  const d = await data<{ tests: { edges: { node: { id: string; name: string } }[] } }>(
    app,
    `{ tests(filter: { project: ["api"] }, first: 100) { edges { node { id name } } } }`,
  );
  return Object.fromEntries(d.tests.edges.map((e) => [e.node.name, e.node.id]));
}

const ENTRY = `id testId source ruleId reason owner since expires releaseAfterPasses passStreak executions failures active endedAt endReason test { name }`;
interface Entry {
  id: string;
  testId: string;
  source: string;
  ruleId: string | null;
  reason: string;
  owner: string;
  since: string;
  expires: string;
  releaseAfterPasses: number;
  passStreak: number;
  executions: number;
  failures: number;
  active: boolean;
  endedAt: string | null;
  endReason: string | null;
  test: { name: string } | null;
}

const quarantined = async (all = false): Promise<Entry[]> =>
  (
    await data<{ quarantined: Entry[] }>(
      app,
      `query($f: QuarantineFilter) { quarantined(filter: $f) { ${ENTRY} } }`,
      {
        f: { project: ['api'], all },
      },
    )
  ).quarantined;

const QUARANTINE = `mutation($input: QuarantineTestInput!) { quarantineTest(input: $input) { ${ENTRY} } }`;
const RELEASE = `mutation($t: ID!, $a: String!, $r: String) { releaseQuarantine(testId: $t, actor: $a, reason: $r) { ${ENTRY} } }`;
const AUDIT = `query($f: QuarantineAuditFilter) { quarantineAudit(filter: $f) { seq at action entryId testId actor ruleId reason } }`;
const EVALUATE = `mutation($rule: ID) { evaluateQuarantine(ruleId: $rule) { started { ${ENTRY} } ended { ${ENTRY} } alerts { kind message value threshold } } }`;
const SAVE_RULE = `mutation($input: QuarantineRuleInput!) { saveQuarantineRule(input: $input, actor: "bob") { id name minScore } }`;

interface AuditEvent {
  seq: number;
  at: string;
  action: string;
  entryId: string | null;
  testId: string | null;
  actor: string;
  ruleId: string | null;
  reason: string;
}
const audit = async (filter: Record<string, unknown> = {}): Promise<AuditEvent[]> =>
  (await data<{ quarantineAudit: AuditEvent[] }>(app, AUDIT, { f: filter })).quarantineAudit;

describe('manual quarantine', () => {
  it('counts until the test has passed its next N executions in a row, then is reviewed with an alert suggesting release', async () => {
    await open();
    await run('r0', '2026-11-20T10:00:00Z', [{ name: 'pay', status: 'FAILED' }]);
    const { pay } = await ids();
    clock = new Date('2026-11-21T00:00:00Z');
    const q = await data<{ quarantineTest: Entry }>(app, QUARANTINE, {
      input: { testId: pay, reason: 'payment sandbox flaps', owner: 'alice', days: 7, releaseAfterPasses: 3 },
    });
    expect(q.quarantineTest).toMatchObject({
      testId: pay,
      source: 'MANUAL',
      owner: 'alice',
      since: '2026-11-21T00:00:00.000Z',
      expires: '2026-11-28T00:00:00.000Z',
      releaseAfterPasses: 3,
      passStreak: 0,
      active: true,
    });
    // Hand-worked: pass, pass (streak 2), fail (0), pass, pass (2): still quarantined.
    await run('r1', '2026-11-21T01:00:00Z', [{ name: 'pay', status: 'PASSED' }]);
    await run('r2', '2026-11-21T02:00:00Z', [{ name: 'pay', status: 'PASSED' }]);
    expect((await quarantined())[0]?.passStreak).toBe(2);
    await run('r3', '2026-11-21T03:00:00Z', [{ name: 'pay', status: 'FAILED' }]);
    await run('r4', '2026-11-21T04:00:00Z', [{ name: 'pay', status: 'PASSED' }]);
    // A pass only on a retry is no clean pass: it breaks the streak too.
    await run('r5', '2026-11-21T05:00:00Z', [
      { name: 'pay', status: 'FAILED', attempt: 1 },
      { name: 'pay', status: 'PASSED', attempt: 2 },
    ]);
    await run('r6', '2026-11-21T06:00:00Z', [{ name: 'pay', status: 'PASSED' }]);
    await run('r7', '2026-11-21T07:00:00Z', [{ name: 'pay', status: 'PASSED' }]);
    const [still] = await quarantined();
    expect(still).toMatchObject({ passStreak: 2, executions: 7, failures: 1, active: true });
    // The third pass in a row: reviewed after that ingest, no longer quarantined, an alert suggests release.
    await run('r8', '2026-11-21T08:00:00Z', [{ name: 'pay', status: 'PASSED' }]);
    expect(await quarantined()).toEqual([]);
    const [ended] = await quarantined(true);
    expect(ended).toMatchObject({
      active: false,
      endReason: 'REVIEWED',
      endedAt: '2026-11-21T08:01:00.000Z',
    });
    const alerts = await data<{
      alerts: { edges: { node: { kind: string; value: number; threshold: number; message: string } }[] };
    }>(
      app,
      `{ alerts(filter: { kind: [QUARANTINE_RELEASE] }) { edges { node { kind value threshold message } } } }`,
    );
    expect(alerts.alerts.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ kind: 'QUARANTINE_RELEASE', value: 3, threshold: 3 }),
    ]);
    expect(alerts.alerts.edges[0]!.node.message).toContain('TestCart › pay passed its last 3 executions');
    expect((await audit({ testId: [pay] })).map((e) => [e.action, e.actor])).toEqual([
      ['REVIEWED', 'assay'],
      ['QUARANTINED', 'alice'],
    ]);
  });

  it('expires at its expiry (read time), is recorded as EXPIRED at that instant, and release is audited with its actor', async () => {
    await open();
    await run('r0', '2026-11-20T10:00:00Z', [
      { name: 'a', status: 'FAILED' },
      { name: 'b', status: 'FAILED' },
    ]);
    const t = await ids();
    clock = new Date('2026-11-21T00:00:00Z');
    await data(app, QUARANTINE, {
      input: { testId: t['a'], reason: 'r', owner: 'alice', expiresAt: '2026-11-21T06:00:00Z' },
    });
    await data(app, QUARANTINE, { input: { testId: t['b'], reason: 'db lock', owner: 'carol' } });
    expect((await quarantined()).map((e) => e.test?.name).sort()).toEqual(['a', 'b']);
    clock = new Date('2026-11-21T05:59:59Z');
    expect((await quarantined()).length).toBe(2);
    clock = new Date('2026-11-21T06:00:00Z');
    expect((await quarantined()).map((e) => e.test?.name)).toEqual(['b']);
    const ev = await data<{ evaluateQuarantine: { ended: Entry[] } }>(app, EVALUATE);
    expect(ev.evaluateQuarantine.ended).toEqual([
      expect.objectContaining({ testId: t['a'], endReason: 'EXPIRED', endedAt: '2026-11-21T06:00:00.000Z' }),
    ]);
    clock = new Date('2026-11-21T07:00:00Z');
    const released = await data<{ releaseQuarantine: Entry | null }>(app, RELEASE, {
      t: t['b'],
      a: 'dave',
      r: 'fixed the lock',
    });
    expect(released.releaseQuarantine).toMatchObject({
      endReason: 'RELEASED',
      endedAt: '2026-11-21T07:00:00.000Z',
    });
    expect(await quarantined()).toEqual([]);
    expect(
      (await data<{ releaseQuarantine: Entry | null }>(app, RELEASE, { t: t['b'], a: 'dave' }))
        .releaseQuarantine,
    ).toBe(null);
    const trail = await audit();
    expect(trail.map((e) => [e.action, e.actor, e.at, e.reason])).toEqual([
      ['RELEASED', 'dave', '2026-11-21T07:00:00.000Z', 'fixed the lock'],
      [
        'EXPIRED',
        'assay',
        '2026-11-21T06:00:00.000Z',
        'expired (quarantined 2026-11-21T00:00:00.000Z by alice)',
      ],
      [
        'QUARANTINED',
        'carol',
        '2026-11-21T00:00:00.000Z',
        expect.stringContaining('db lock (until 2026-12-05T00:00:00.000Z'),
      ],
      [
        'QUARANTINED',
        'alice',
        '2026-11-21T00:00:00.000Z',
        expect.stringContaining('r (until 2026-11-21T06:00:00.000Z'),
      ],
    ]);
    expect(trail.map((e) => e.seq)).toEqual([4, 3, 2, 1]);
  });

  it('refuses an unknown test, a missing owner, and an expiry in the past or beyond 90 days, writing nothing', async () => {
    await open();
    await run('r0', '2026-11-20T10:00:00Z', [{ name: 'a', status: 'PASSED' }]);
    const { a } = await ids();
    const bad = async (input: Record<string, unknown>) => {
      const r = await gql(app, QUARANTINE, { input: { testId: a, reason: 'x', owner: 'o', ...input } });
      return r.errors?.[0];
    };
    expect((await bad({ testId: 'nope' }))?.message).toMatch(/no test has id "nope"/);
    expect((await bad({ owner: ' ' }))?.extensions?.['field']).toBe('input.owner');
    expect((await bad({ expiresAt: '2026-11-20T00:00:00Z' }))?.message).toMatch(/must lie after now/);
    expect((await bad({ days: 91 }))?.extensions?.['field']).toBe('input.days');
    expect(await audit()).toEqual([]);
  });
});

describe('quarantine rules', () => {
  /**
   * Hand-worked scores (src/analytics/flakiness.ts: score = Σ wᵢfᵢ / Σ wᵢvᵢ, wᵢ = 2^(−(n−i)/100)):
   * - x: five executions, each failed then passed on retry: every one is evidence, score 1;
   * - y: five executions, only the latest passed on a retry:
   *   1 / (1 + 2^−0.01 + 2^−0.02 + 2^−0.03 + 2^−0.04) = 1 / 4.93140 = 0.20278;
   * - z: five clean passes: score 0, STABLE.
   */
  async function history(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      const flakyY = i === 4;
      await run(`h${i}`, `2026-11-20T0${i}:00:00Z`, [
        { name: 'x', status: 'FAILED', attempt: 1 },
        { name: 'x', status: 'PASSED', attempt: 2 },
        ...(flakyY
          ? [
              { name: 'y', status: 'FAILED' as const, attempt: 1 },
              { name: 'y', status: 'PASSED' as const, attempt: 2 },
            ]
          : [{ name: 'y', status: 'PASSED' as const }]),
        { name: 'z', status: 'PASSED' },
      ]);
    }
  }

  it('quarantines FLAKY tests with a score at or above the threshold, on demand, with the rule in the audit trail', async () => {
    await open();
    await history();
    const t = await ids();
    const strict = await data<{ saveQuarantineRule: { id: string } }>(app, SAVE_RULE, {
      input: { name: 'very flaky', minScore: 0.203, project: ['api'], expiresAfterDays: 10 },
    });
    const first = await data<{ evaluateQuarantine: { started: Entry[] } }>(app, EVALUATE, {
      rule: strict.saveQuarantineRule.id,
    });
    // 0.20278 < 0.203: only x.
    expect(first.evaluateQuarantine.started.map((e) => e.testId)).toEqual([t['x']]);
    expect(first.evaluateQuarantine.started[0]).toMatchObject({
      source: 'RULE',
      ruleId: strict.saveQuarantineRule.id,
      owner: 'rule:very flaky',
      expires: '2026-11-30T04:01:00.000Z',
    });
    expect(first.evaluateQuarantine.started[0]!.reason).toMatch(
      /^flaky: score 1\.000 ≥ 0\.203 over 30 days \(5 of 5/,
    );
    const loose = await data<{ saveQuarantineRule: { id: string } }>(app, SAVE_RULE, {
      input: { name: 'flaky', minScore: 0.2027 },
    });
    const second = await data<{ evaluateQuarantine: { started: Entry[] } }>(app, EVALUATE, {
      rule: loose.saveQuarantineRule.id,
    });
    // 0.20278 ≥ 0.2027: y; x is quarantined already; z is STABLE.
    expect(second.evaluateQuarantine.started.map((e) => e.testId)).toEqual([t['y']]);
    expect(second.evaluateQuarantine.started[0]!.reason).toMatch(/^flaky: score 0\.203 ≥ 0\.2027/);
    const trail = await audit({ ruleId: [strict.saveQuarantineRule.id] });
    expect(trail.map((e) => [e.action, e.actor, e.testId])).toEqual([
      ['QUARANTINED', 'rule:very flaky', t['x']],
      ['RULE_SAVED', 'bob', null],
    ]);
  });

  it('runs after each ingest, and does not put back a released test until it shows new flaky evidence', async () => {
    await open();
    await data(app, SAVE_RULE, { input: { name: 'flaky', minScore: 0.5 } });
    await history();
    const t = await ids();
    expect((await quarantined()).map((e) => e.testId)).toEqual([t['x']]);
    await data(app, RELEASE, { t: t['x'], a: 'alice', r: 'fixed' });
    // A clean pass: no new evidence, so the rule leaves x out.
    await run('h5', '2026-11-20T05:00:00Z', [{ name: 'x', status: 'PASSED' }]);
    expect(await quarantined()).toEqual([]);
    await run('h6', '2026-11-20T06:00:00Z', [
      { name: 'x', status: 'FAILED', attempt: 1 },
      { name: 'x', status: 'PASSED', attempt: 2 },
    ]);
    expect((await quarantined()).map((e) => [e.testId, e.source])).toEqual([[t['x'], 'RULE']]);
  });

  it('refuses a score outside 0 … 1', async () => {
    await open();
    const r = await gql(app, SAVE_RULE, { input: { name: 'n', minScore: 1.5 } });
    expect(r.errors?.[0]?.extensions?.['field']).toBe('input.minScore');
  });
});

describe('gates and reports with quarantined tests', () => {
  const GATE = `query($f: ResultFilter, $g: QualityGateInput!) {
    qualityGate(filter: $f, gate: $g) { passed checks { name passed actual message } quarantine { tests executions failures failing { testId failures test { name } } } }
  }`;
  interface Gate {
    qualityGate: {
      passed: boolean;
      checks: { name: string; passed: boolean; actual: number | null; message: string }[];
      quarantine: {
        tests: number;
        executions: number;
        failures: number;
        failing: { testId: string; failures: number }[];
      };
    };
  }

  it('leaves a quarantined test’s failure out of the checks and counts it apart', async () => {
    await open();
    // main: a, b, c pass. feature (commit f1): a fails (to be quarantined), b and c pass.
    await run('m1', '2026-11-20T10:00:00Z', [
      { name: 'a', status: 'PASSED' },
      { name: 'b', status: 'PASSED' },
      { name: 'c', status: 'PASSED' },
    ]);
    await run(
      'f1',
      '2026-11-20T11:00:00Z',
      [
        { name: 'a', status: 'FAILED' },
        { name: 'b', status: 'PASSED' },
        { name: 'c', status: 'PASSED' },
      ],
      { branch: 'feature' },
    );
    const t = await ids();
    const gate = { minPassRate: 1, maxNewFailures: 0, baseBranch: 'main' };
    const f = { project: ['api'], branch: ['feature'] };
    // Without quarantine: 2 of 3 passed, 1 new failure: the gate fails.
    const before = await data<Gate>(app, GATE, { f, g: gate });
    expect(before.qualityGate.passed).toBe(false);
    expect(before.qualityGate.checks.map((c) => c.actual)).toEqual([2 / 3, 1]);
    expect(before.qualityGate.quarantine).toEqual({ tests: 0, executions: 0, failures: 0, failing: [] });

    await data(app, QUARANTINE, { input: { testId: t['a'], reason: 'flaps', owner: 'alice' } });
    const after = await data<Gate>(app, GATE, { f, g: gate });
    // Without a: 2 of 2 passed, no new failure: passes; a's one failure counted apart.
    expect(after.qualityGate.passed).toBe(true);
    expect(after.qualityGate.checks.map((c) => c.actual)).toEqual([1, 0]);
    expect(after.qualityGate.checks[0]!.message).toBe(
      'Pass rate 100.00 % over 2 executions meets the minimum 100.00 %. 1 executions of 1 quarantined test (1 failed) are left out.',
    );
    expect(after.qualityGate.quarantine).toEqual({
      tests: 1,
      executions: 1,
      failures: 1,
      failing: [{ testId: t['a'], failures: 1, test: { name: 'a' } }],
    });

    const report = await data<{ report: { content: string } }>(
      app,
      `query($f: ResultFilter) { report(filter: $f, format: MARKDOWN) { content } }`,
      { f },
    );
    expect(report.report.content).toContain('Quarantined tests (1, 1 failures counted apart)');
    expect(report.report.content).toMatch(
      /\| tests\.test_shop › tests\.test_shop\.TestCart › a \| 1 \| 1 \| alice \|/,
    );
    const json = await data<{ report: { content: string } }>(
      app,
      `query($f: ResultFilter) { report(filter: $f, format: JSON) { content } }`,
      { f },
    );
    const parsed = JSON.parse(json.report.content) as {
      quarantined: { failures: number; entries: { name: string; failures: number }[] };
    };
    expect(parsed.quarantined.failures).toBe(1);
    expect(parsed.quarantined.entries.map((e) => [e.name, e.failures])).toEqual([['a', 1]]);
  });
});
