import { checkRange } from './args.ts';
import { quarantinedInSlice, type QuarantinedInSlice } from './quarantine.ts';
import { pct, testLabel } from '../src/report/format.ts';
import type {
  QualityCheck,
  QualityGate,
  QualityGateResult,
  GateFigures,
  GateStore,
} from '../src/domain/gate.ts';
import { badInput } from '../src/domain/errors.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { QuarantineStore } from '../src/domain/quarantine.ts';
import type { SliceStore } from '../src/domain/slices.ts';
import type { ResultFilter, Test } from '../src/domain/types.ts';

function checkThresholds(gate: QualityGate): void {
  for (const name of ['minPassRate', 'maxFlakyRate'] as const) {
    const v = gate[name];
    if (v !== null && v !== undefined && !(v >= 0 && v <= 1))
      throw badInput(`${name} is a rate from 0 to 1 (got ${v}); 0.98 means 98 %`, { field: `gate.${name}` });
  }
  const n = gate.maxNewFailures;
  if (n !== null && n !== undefined && !(Number.isInteger(n) && n >= 0))
    throw badInput(`maxNewFailures must be a whole number ≥ 0 (got ${n})`, { field: 'gate.maxNewFailures' });
  const d = gate.maxDurationRegressionPct;
  if (d !== null && d !== undefined && !(Number.isFinite(d) && d >= 0))
    throw badInput(`maxDurationRegressionPct must be ≥ 0 (got ${d}); 10 means 10 %`, {
      field: 'gate.maxDurationRegressionPct',
    });
  const needsBase = (n !== null && n !== undefined) || (d !== null && d !== undefined);
  if (needsBase && !gate.baseBranch?.trim()) {
    throw badInput(
      'maxNewFailures and maxDurationRegressionPct compare against a base branch: give baseBranch, e.g. "main"',
      { field: 'gate.baseBranch' },
    );
  }
  if (
    ![gate.minPassRate, gate.maxNewFailures, gate.maxFlakyRate, gate.maxDurationRegressionPct].some(
      (v) => v !== null && v !== undefined,
    )
  ) {
    throw badInput(
      'the gate has no thresholds: give at least one of minPassRate, maxNewFailures, maxFlakyRate, maxDurationRegressionPct',
      { field: 'gate' },
    );
  }
}

/** The figures without the quarantined tests' executions: they neither lower the pass rate nor count as new failures. */
function withoutQuarantined(f: GateFigures, q: QuarantinedInSlice): GateFigures {
  if (!q.executions) return f;
  const ids = new Set<string>(q.entries.map((e) => e.testId));
  const executions = f.executions - q.executions;
  const passed = f.passed - q.passed;
  const flaky = f.flaky - q.flaky;
  return {
    ...f,
    executions,
    passed,
    flaky,
    passRate: executions ? passed / executions : null,
    flakyRate: executions ? flaky / executions : null,
    newFailures: f.newFailures.filter((n) => !ids.has(n.testId)),
  };
}

/**
 * Checks a slice (typically one commit of a branch) against thresholds.
 * Quarantined tests (active now) are left out of every check and counted
 * apart in `quarantine`: their failures never fail a gate. So are the
 * executions of runs and workers marked as infrastructure failures, counted
 * in `infrastructure`, unless the filter sets includeInfrastructureFailures.
 * A slice with no executions fails every check: a build that reported no
 * tests is not a green build. Checks against the base branch pass, with
 * `actual` null and a message saying so, when the base branch has no
 * executions of the slice's tests (a new project or suite has no baseline).
 */
export async function qualityGate(
  deps: FeatureDeps<GateStore & QuarantineStore & Pick<SliceStore, 'metrics'>, 'cache' | 'now'>,
  filter: ResultFilter | null | undefined,
  gate: QualityGate,
): Promise<QualityGateResult> {
  checkRange(filter);
  checkThresholds(gate);
  const baseBranch = gate.baseBranch?.trim() || null;
  const f = filter ?? {};
  const [all, quarantined] = await Promise.all([
    deps.cache.get('qualityGate', { f, baseBranch }, () => deps.store.gateFigures(f, baseBranch)),
    // Read fresh: a quarantine changes without an ingest.
    quarantinedInSlice(deps, f),
  ]);
  const j = judge(withoutQuarantined(all, quarantined), quarantined, baseBranch);
  const checks: QualityCheck[] = [];
  if (gate.minPassRate !== null && gate.minPassRate !== undefined)
    checks.push(passRateCheck(j, gate.minPassRate));
  if (gate.maxNewFailures !== null && gate.maxNewFailures !== undefined)
    checks.push(await newFailuresCheck(deps, j, gate.maxNewFailures));
  if (gate.maxFlakyRate !== null && gate.maxFlakyRate !== undefined)
    checks.push(flakyRateCheck(j, gate.maxFlakyRate));
  if (gate.maxDurationRegressionPct !== null && gate.maxDurationRegressionPct !== undefined)
    checks.push(durationCheck(j, gate.maxDurationRegressionPct));
  return {
    passed: checks.every((c) => c.passed),
    checks,
    quarantine: {
      tests: quarantined.tests,
      executions: quarantined.executions,
      failures: quarantined.failures,
      failing: quarantined.failing,
    },
    infrastructure: all.infra,
  };
}

/** What every check reads: the figures, and the answers for a slice with no executions or no baseline. */
function judge(figures: GateFigures, quarantined: QuarantinedInSlice, baseBranch: string | null) {
  const infra = figures.infra;
  const q = quarantined.executions
    ? ` ${quarantined.executions} executions of ${quarantined.tests} quarantined test${quarantined.tests === 1 ? '' : 's'} (${quarantined.failures} failed) are left out.`
    : '';
  const i = infra.executions
    ? ` ${infra.executions} executions of ${infra.runs} run${infra.runs === 1 ? '' : 's'} marked as infrastructure failures (${infra.failures} failed) are left out.`
    : '';
  return {
    figures,
    baseBranch,
    empty: figures.executions === 0,
    aside: q + i,
    noData: (name: string, threshold: number): QualityCheck => ({
      name,
      passed: false,
      actual: null,
      threshold,
      message: noDataMessage(quarantined.executions, infra.executions),
    }),
    noBase: (name: string, threshold: number): QualityCheck => ({
      name,
      passed: true,
      actual: null,
      threshold,
      message: `No executions of these tests on ${baseBranch} to compare with: not checked.`,
    }),
  };
}

/** Why a slice has nothing to check: everything was left out, or nothing ran. */
function noDataMessage(quarantined: number, infra: number): string {
  if (quarantined && infra)
    return `All ${quarantined + infra} executions of the slice are of quarantined tests (${quarantined}) or of infrastructure failures (${infra}): nothing left to check.`;
  if (quarantined)
    return `All ${quarantined} executions of the slice are of quarantined tests: nothing left to check.`;
  if (infra)
    return `All ${infra} executions of the slice are of runs or workers marked as infrastructure failures: nothing left to check (includeInfrastructureFailures: true counts them).`;
  return 'No executions match the slice: check the project, branch and commit the build reported.';
}

type Judge = ReturnType<typeof judge>;

function passRateCheck({ figures, empty, aside, noData }: Judge, t: number): QualityCheck {
  const a = figures.passRate;
  if (empty || a === null) return noData('minPassRate', t);
  return {
    name: 'minPassRate',
    passed: a >= t,
    actual: a,
    threshold: t,
    message: `Pass rate ${pct(a)} over ${figures.executions} executions ${a >= t ? 'meets' : 'is below'} the minimum ${pct(t)}.${aside}`,
  };
}

async function newFailuresCheck(
  deps: FeatureDeps<Pick<SliceStore, 'testsByIds'>>,
  { figures, empty, baseBranch, noData, noBase }: Judge,
  t: number,
): Promise<QualityCheck> {
  const x = figures.infra;
  const infraAside = x.failures
    ? ` ${x.failures} failure${x.failures === 1 ? '' : 's'} in runs marked as infrastructure failures are left out.`
    : '';
  const n = figures.newFailures.length;
  if (empty) return noData('maxNewFailures', t);
  if (figures.baseExecutions === 0) return noBase('maxNewFailures', t);
  // Named as people name tests; the id stands in only for a test no longer stored.
  const shown = figures.newFailures.slice(0, 3).map((x) => x.testId);
  const tests = shown.length ? await deps.store.testsByIds(shown) : new Map<string, Test>();
  const names = shown.map((id) => {
    const test = tests.get(id);
    return test ? testLabel(test) : `test ${id}`;
  });
  return {
    name: 'maxNewFailures',
    passed: n <= t,
    actual: n,
    threshold: t,
    message: `${n} test${n === 1 ? '' : 's'} failed that passed on ${baseBranch}${n ? ` (${names.join('; ')}${n > 3 ? '; …' : ''})` : ''}; at most ${t} allowed.${infraAside}`,
  };
}

function flakyRateCheck({ figures, empty, noData }: Judge, t: number): QualityCheck {
  const a = figures.flakyRate;
  if (empty || a === null) return noData('maxFlakyRate', t);
  return {
    name: 'maxFlakyRate',
    passed: a <= t,
    actual: a,
    threshold: t,
    message: `Flaky rate ${pct(a)} (passed only on a retry) ${a <= t ? 'is within' : 'exceeds'} the maximum ${pct(t)}.`,
  };
}

function durationCheck({ figures, empty, baseBranch, noData, noBase }: Judge, t: number): QualityCheck {
  const d = figures.duration;
  if (empty) return noData('maxDurationRegressionPct', t);
  if (!d || d.baseMs <= 0) return noBase('maxDurationRegressionPct', t);
  const a = (d.headMs / d.baseMs - 1) * 100;
  return {
    name: 'maxDurationRegressionPct',
    passed: a <= t,
    actual: a,
    threshold: t,
    message: `Total duration of ${d.tests} tests run on both is ${(d.headMs / 1000).toFixed(2)} s against ${(d.baseMs / 1000).toFixed(2)} s on ${baseBranch} (${a >= 0 ? '+' : ''}${a.toFixed(1)} %); at most +${t} % allowed.`,
  };
}
