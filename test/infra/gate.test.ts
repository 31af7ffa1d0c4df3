import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { openStore } from '../../src/db/store.ts';
import { validateIngest } from '../../src/domain/ingest-batch.ts';
import type { App } from '../../src/server/app.ts';
import { TEST_NOW, data, testApp } from '../support/app.ts';

// main, run m1: tests t0…t9 all pass (worker w1).
// feature, run h1 (commit cf): on worker w1 t0…t3 pass and t4 fails on an assertion; on worker
// w2 t5…t9 all error on one message ("connection to db-7 refused"). w2 ran 5, all 5 failed
// with one pattern: w2 is marked; the run (6 of 10 failed, 60 % < 80 %) is not.
// Left out (default): 5 executions, 4 passed → pass rate 0.8; new failures: t4 only (1);
//   infrastructure: 5 executions, 5 failures, 1 run.
// Included: 10 executions, 4 passed → 0.4; new failures: t4…t9 (6); nothing left out.
const minute = (at: string, i: number) => new Date(Date.parse(at) + i * 60_000).toISOString();
function run(id: string, branch: string, at: string, statuses: string) {
  return validateIngest({
    run: { id, project: 'p', branch, commit: `c${id}`, startedAt: at },
    results: [...statuses].map((c, i) => ({
      suite: 's',
      name: `t${i}`,
      status: c === 'P' ? 'PASSED' : c === 'F' ? 'FAILED' : 'ERROR',
      durationMs: 10,
      startedAt: minute(at, i),
      worker: i < 5 ? 'w1' : 'w2',
      message: c === 'P' ? null : c === 'F' ? 'expected 3, got 4' : `connection to db-7:5432 refused (${i})`,
    })),
  });
}
const M1 = run('m1', 'main', '2026-11-10T10:00:00Z', 'PPPPPPPPPP');
const H1 = run('h1', 'feature', '2026-11-11T10:00:00Z', 'PPPPFEEEEE');
const HEAD = { project: ['p'], branch: ['feature'], commit: ['ch1'] };
const INCLUDE = { includeInfrastructureFailures: true };

const dir = mkdtempSync(join(tmpdir(), 'assay-infra-gate-'));
const dbPath = join(dir, 'a.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quality gates and new failures without infrastructure failures', () => {
  beforeAll(async () => {
    const s = await openStore({ path: dbPath, now: () => TEST_NOW });
    await s.ingest(M1);
    await s.ingest(H1);
    expect((await s.infrastructureFailures({}, 10)).map((m) => [m.runId, m.worker])).toEqual([['h1', 'w2']]);
    await s.close();
  });

  it('leave the marked worker out of the figures and new failures, and count them apart', async () => {
    const s = await openStore({ path: dbPath, now: () => TEST_NOW });
    try {
      const left = await s.gateFigures(HEAD, 'main');
      expect(left).toMatchObject({ executions: 5, passed: 4, passRate: 0.8 });
      expect(left.newFailures.map((n) => n.message)).toEqual(['expected 3, got 4']);
      expect(left.infra).toEqual({ executions: 5, failures: 5, runs: 1 });
      const all = await s.gateFigures({ ...HEAD, ...INCLUDE }, 'main');
      expect(all).toMatchObject({ executions: 10, passed: 4, passRate: 0.4 });
      expect(all.newFailures).toHaveLength(6);
      expect(all.infra).toEqual({ executions: 0, failures: 0, runs: 0 });
      // A report's new failures over both branches: a pass on main, then the failures on feature.
      expect(await s.newFailures({ project: ['p'] }, 10)).toHaveLength(1);
      expect(await s.newFailures({ project: ['p'], ...INCLUDE }, 10)).toHaveLength(6);
    } finally {
      await s.close();
    }
  });

  describe('through the schema and the CLI', () => {
    let app: App;
    beforeAll(async () => {
      app = await testApp();
      for (const input of [M1, H1]) await app.store.ingest(input);
    });
    afterAll(() => app.close());

    const GATE = `query G($filter: ResultFilter, $gate: QualityGateInput!) {
      qualityGate(filter: $filter, gate: $gate) {
        passed checks { name passed actual message } infrastructure { executions failures runs }
      }
    }`;
    type Gate = {
      qualityGate: {
        passed: boolean;
        checks: { name: string; passed: boolean; actual: number | null; message: string }[];
        infrastructure: { executions: number; failures: number; runs: number };
      };
    };
    const gate = { minPassRate: 0.75, maxNewFailures: 1, baseBranch: 'main' };

    it('passes a gate the marked worker alone would fail, and says what it left out', async () => {
      const r = (await data<Gate>(app, GATE, { filter: HEAD, gate })).qualityGate;
      expect(r.passed).toBe(true);
      expect(r.checks.map((c) => [c.name, c.actual])).toEqual([
        ['minPassRate', 0.8],
        ['maxNewFailures', 1],
      ]);
      expect(r.infrastructure).toEqual({ executions: 5, failures: 5, runs: 1 });
      expect(r.checks[0]!.message).toContain(
        '5 executions of 1 run marked as infrastructure failures (5 failed) are left out.',
      );
      const all = (await data<Gate>(app, GATE, { filter: { ...HEAD, ...INCLUDE }, gate })).qualityGate;
      expect(all.passed).toBe(false);
      expect(all.checks.map((c) => [c.name, c.actual])).toEqual([
        ['minPassRate', 0.4],
        ['maxNewFailures', 6],
      ]);
      expect(all.infrastructure).toEqual({ executions: 0, failures: 0, runs: 0 });
    });

    it('fails a slice that is all infrastructure failures, saying so', async () => {
      const r = (await data<Gate>(app, GATE, { filter: { ...HEAD, worker: ['w2'] }, gate })).qualityGate;
      expect(r.passed).toBe(false);
      expect(r.checks[0]).toMatchObject({ passed: false, actual: null });
      expect(r.checks[0]!.message).toContain('All 5 executions of the slice are of runs or workers marked');
    });

    it('`assay gate` prints what it left out, and counts it with --include-infrastructure-failures', async () => {
      const cli = async (...extra: string[]) => {
        const lines: string[] = [];
        const argv = ['gate', '--project', 'p', '--branch', 'feature', '--commit', 'ch1'];
        const code = await main(
          [...argv, '--min-pass-rate', '0.75', '--db', dbPath, ...extra],
          (l) => lines.push(l),
          () => TEST_NOW,
        );
        return { code, out: lines.join('\n') };
      };
      const left = await cli();
      expect(left.code).toBe(0);
      expect(left.out).toContain('infrastructure failures: 5 executions of 1 marked run, 5 failed');
      const all = await cli('--include-infrastructure-failures');
      expect(all.code).toBe(1);
      expect(all.out).toMatch(/✘ FAIL {2}minPassRate +actual +40\.00 %/);
      expect(all.out).not.toContain('infrastructure failures:');
    });
  });
});
