import { pct } from '../report/format.ts';
import { UsageError, parse } from './args.ts';
import { SLICE_OPTIONS, SLICE_USAGE, sliceFilter } from './slice.ts';
import { openTarget, TARGET_OPTIONS, TARGET_USAGE } from './target.ts';

export const GATE_USAGE = `assay gate --project P --branch B --commit SHA [thresholds] [--server URL | --db PATH]

Checks a build against thresholds and exits 1 when any check fails, for CI to
block a merge. Prints each check with the actual value and the threshold.

  --min-pass-rate R            lowest pass rate, 0 … 1 (e.g. 0.98)
  --max-new-failures N         most tests failing that pass on the base branch
  --max-flaky-rate R           highest flaky rate, 0 … 1
  --max-duration-regression P  largest rise of total duration over the base branch, in percent
  --base-branch B              what new failures and durations compare with (default main)
${SLICE_USAGE}
${TARGET_USAGE}

Without thresholds it checks --max-new-failures 0. Exits 0 when the gate passes,
1 when it fails, 2 on a bad command line.`;

const QUERY = `query Gate($filter: ResultFilter, $gate: QualityGateInput!) {
  qualityGate(filter: $filter, gate: $gate) { passed checks { name passed actual threshold message } }
}`;

interface Check { name: string; passed: boolean; actual: number | null; threshold: number; message: string }

function number(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got "${raw}")`);
  return n;
}

const RATES = new Set(['minPassRate', 'maxFlakyRate']);

function show(name: string, v: number | null): string {
  if (v === null) return '–';
  if (RATES.has(name)) return pct(v);
  if (name === 'maxDurationRegressionPct') return `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`;
  return String(v);
}

export async function gateCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parse(args, {
    ...TARGET_OPTIONS, ...SLICE_OPTIONS,
    'min-pass-rate': { type: 'string' }, 'max-new-failures': { type: 'string' }, 'max-flaky-rate': { type: 'string' },
    'max-duration-regression': { type: 'string' }, 'base-branch': { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.project?.length) throw new UsageError('--project is required: the project of the build to check');
  const gate = {
    minPassRate: number('min-pass-rate', values['min-pass-rate']),
    maxNewFailures: number('max-new-failures', values['max-new-failures']),
    maxFlakyRate: number('max-flaky-rate', values['max-flaky-rate']),
    maxDurationRegressionPct: number('max-duration-regression', values['max-duration-regression']),
    baseBranch: values['base-branch'] ?? 'main',
  };
  if (Object.values(gate).filter((v) => typeof v === 'number').length === 0) gate.maxNewFailures = 0;
  const filter = sliceFilter(values);
  const target = await openTarget(values);
  let result: { passed: boolean; checks: Check[] };
  try {
    result = (await target.graphql<{ qualityGate: typeof result }>(QUERY, { filter, gate })).qualityGate;
  } finally {
    await target.close();
  }
  const width = Math.max(...result.checks.map((c) => c.name.length));
  for (const c of result.checks) {
    out(`${c.passed ? '✔ pass' : '✘ FAIL'}  ${c.name.padEnd(width)}  actual ${show(c.name, c.actual).padStart(9)}  threshold ${show(c.name, c.threshold).padStart(9)}  ${c.message}`);
  }
  out(result.passed ? 'Quality gate passed.' : `Quality gate FAILED: ${result.checks.filter((c) => !c.passed).map((c) => c.name).join(', ')}.`);
  return result.passed ? 0 : 1;
}
