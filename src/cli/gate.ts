import { pct } from '../report/format.ts';
import { UsageError, parse } from './args.ts';
import { EXIT } from './exit.ts';
import { SLICE_OPTIONS, SLICE_USAGE, sliceFilter } from './slice.ts';
import { openTarget, TARGET_OPTIONS, TARGET_USAGE } from './target.ts';

export const GATE_USAGE = `assay gate --project P [--branch B] --commit SHA [thresholds] [--server URL | --db PATH]

Checks one build against thresholds and exits 1 when any check fails, for CI to
block a merge. Prints what it checks, then each check with the actual value and
the threshold. The build is the project's results at --commit (on --branch), or
--run-id ID; to gate a period instead (say, a nightly job), give --days N or
--from TIME. Without a commit, run id or period it refuses (exit 2): it would
check the project's whole history.

  --min-pass-rate R            lowest pass rate, 0 … 1 (0.98 is 98 %)
  --max-new-failures N         most tests failing that pass on the base branch
  --max-flaky-rate R           highest flaky rate, 0 … 1
  --max-duration-regression P  largest rise of total duration over the base branch, in percent
  --base-branch B              what new failures and durations compare with (default main)
  --include-infrastructure-failures
                               count the executions of runs and workers marked as
                               infrastructure failures (left out by default)
${SLICE_USAGE}
${TARGET_USAGE}

Without thresholds it checks --max-new-failures 0. Exits 0 when the gate passes,
1 when it fails, 2 on a bad command line, 3 when the gateway or database cannot
be reached, 4 on any other error.`;

const QUERY = `query Gate($filter: ResultFilter, $gate: QualityGateInput!) {
  qualityGate(filter: $filter, gate: $gate) {
    passed checks { name passed actual threshold message } quarantine { tests executions failures }
    infrastructure { executions failures runs }
  }
}`;

interface Check {
  name: string;
  passed: boolean;
  actual: number | null;
  threshold: number;
  message: string;
}

/** A threshold's value, checked against its range here so a wrong scale (98 for a rate) is a usage error. */
function threshold(
  name: string,
  raw: string | undefined,
  kind: 'rate' | 'count' | 'percent',
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} must be a number (got "${raw}")`);
  if (kind === 'rate' && !(n >= 0 && n <= 1))
    throw new UsageError(`--${name} is a rate from 0 to 1 (got ${raw}); 0.98 means 98 %`);
  if (kind === 'count' && !(Number.isInteger(n) && n >= 0))
    throw new UsageError(`--${name} must be a whole number ≥ 0 (got ${raw})`);
  if (kind === 'percent' && n < 0)
    throw new UsageError(`--${name} is a percentage ≥ 0 (got ${raw}); 10 means +10 %`);
  return n;
}

/** What the slice options pick, in words, e.g. "project shop, branch feature, commit f1". */
function describe(v: {
  project?: string[];
  branch?: string[];
  commit?: string[];
  'run-id'?: string[];
  days?: string;
  from?: string;
  to?: string;
}): string {
  const list = (label: string, xs: string[] | undefined) =>
    xs?.length ? [`${label} ${xs.join(' or ')}`] : [];
  return [
    ...list('project', v.project),
    ...list('branch', v.branch),
    ...list('commit', v.commit),
    ...list('run', v['run-id']),
    ...(v.days !== undefined ? [`the last ${v.days} days`] : []),
    ...(v.from !== undefined ? [`from ${v.from}`] : []),
    ...(v.to !== undefined ? [`to ${v.to}`] : []),
  ].join(', ');
}

interface GateAnswer {
  passed: boolean;
  checks: Check[];
  quarantine: { tests: number; executions: number; failures: number };
  infrastructure: { executions: number; failures: number; runs: number };
}

/** Each check, what was left out of them, and the verdict. */
function print(result: GateAnswer, out: (line: string) => void): void {
  const width = Math.max(...result.checks.map((c) => c.name.length));
  for (const c of result.checks) {
    out(
      `${c.passed ? '✔ pass' : '✘ FAIL'}  ${c.name.padEnd(width)}  actual ${show(c.name, c.actual).padStart(9)}  threshold ${show(c.name, c.threshold).padStart(9)}  ${c.message}`,
    );
  }
  const q = result.quarantine;
  if (q.tests)
    out(
      `  quarantined: ${q.tests} test${q.tests === 1 ? '' : 's'}, ${q.executions} executions, ${q.failures} failed: left out of the checks (\`assay quarantine list\`).`,
    );
  const x = result.infrastructure;
  if (x.executions)
    out(
      `  infrastructure failures: ${x.executions} executions of ${x.runs} marked run${x.runs === 1 ? '' : 's'}, ${x.failures} failed: left out of the checks (--include-infrastructure-failures counts them).`,
    );
  out(
    result.passed
      ? 'Quality gate passed.'
      : `Quality gate FAILED: ${result.checks
          .filter((c) => !c.passed)
          .map((c) => c.name)
          .join(', ')}.`,
  );
}

const RATES = new Set(['minPassRate', 'maxFlakyRate']);

function show(name: string, v: number | null): string {
  if (v === null) return '–';
  if (RATES.has(name)) return pct(v);
  if (name === 'maxDurationRegressionPct') return `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`;
  return String(v);
}

export async function gateCommand(
  args: readonly string[],
  out: (line: string) => void,
  now: () => Date,
): Promise<number> {
  const { values, positionals } = parse(args, {
    ...TARGET_OPTIONS,
    ...SLICE_OPTIONS,
    'min-pass-rate': { type: 'string' },
    'max-new-failures': { type: 'string' },
    'max-flaky-rate': { type: 'string' },
    'max-duration-regression': { type: 'string' },
    'base-branch': { type: 'string' },
    'include-infrastructure-failures': { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.project?.length)
    throw new UsageError('--project is required: the project of the build to check');
  if (
    !values.commit?.length &&
    !values['run-id']?.length &&
    values.days === undefined &&
    values.from === undefined
  ) {
    throw new UsageError(
      '--commit SHA (or --run-id ID) is required: the build to check; for a period instead, give --days N or --from TIME',
    );
  }
  const gate = {
    minPassRate: threshold('min-pass-rate', values['min-pass-rate'], 'rate'),
    maxNewFailures: threshold('max-new-failures', values['max-new-failures'], 'count'),
    maxFlakyRate: threshold('max-flaky-rate', values['max-flaky-rate'], 'rate'),
    maxDurationRegressionPct: threshold(
      'max-duration-regression',
      values['max-duration-regression'],
      'percent',
    ),
    baseBranch: values['base-branch'] ?? 'main',
  };
  if (Object.values(gate).filter((v) => typeof v === 'number').length === 0) gate.maxNewFailures = 0;
  const filter = {
    ...sliceFilter(values, now()),
    ...(values['include-infrastructure-failures'] && { includeInfrastructureFailures: true }),
  };
  const target = await openTarget(values, { discover: true, now });
  out(`Gate of ${describe(values)} (base branch ${gate.baseBranch}) on ${target.label}:`);
  let result: GateAnswer;
  try {
    result = (await target.graphql<{ qualityGate: GateAnswer }>(QUERY, { filter, gate })).qualityGate;
  } finally {
    await target.close();
  }
  print(result, out);
  return result.passed ? EXIT.OK : EXIT.FAILED;
}
