/**
 * What every alert rule evaluator shares: a reading per group, the comparison with its
 * hysteresis, how a group is named in a message, and the context one evaluation reads from.
 */
import type {
  AlertEngineStore as Store,
  AlertRule,
  ComparisonOperator,
  IngestNotice,
} from '../../src/domain/alerts.ts';
import type {
  Dimension,
  Measure,
  MetricsGroup,
  MetricsRow,
  ResultFilter,
  Test,
} from '../../src/domain/types.ts';
import { testLabel } from '../../src/report/format.ts';

/** One group's value for a rule: `fires` when the condition holds, `clears` when it has let go by the hysteresis margin. */
export interface Reading {
  readonly group: MetricsGroup;
  readonly value: number | null;
  readonly fires: boolean;
  readonly clears: boolean;
  readonly message: string;
}

export const MINUTE = 60_000;
/** Flakiness is judged over this look-back, whatever the rule's window. */
export const FLAKINESS_DAYS = 30;
/** Executions before the new one that must have passed for NEW_FAILURE. */
export const NEW_FAILURE_HISTORY = 3;
/** DURATION_REGRESSION compares the window with the 7 windows before it. */
export const BASELINE_WINDOWS = 7;

/**
 * Hysteresis: a condition that fired clears only once the value is back past
 * the threshold by 2 % of it, so a value hovering at the limit fires once.
 */
const margin = (threshold: number): number => Math.max(1e-9, Math.abs(threshold) * 0.02);

export function compare(op: ComparisonOperator, v: number, t: number): boolean {
  switch (op) {
    case 'GT':
      return v > t;
    case 'GTE':
      return v >= t;
    case 'LT':
      return v < t;
    case 'LTE':
      return v <= t;
  }
}

/** The value has moved back past the threshold by the margin (the opposite side of `op`). */
export function cleared(op: ComparisonOperator, v: number, t: number): boolean {
  return op === 'GT' || op === 'GTE' ? v < t - margin(t) : v > t + margin(t);
}

export const SYMBOL: Readonly<Record<ComparisonOperator, string>> = { GT: '>', GTE: '≥', LT: '<', LTE: '≤' };

/** A stable key for a group within a rule. */
export const groupKey = (g: MetricsGroup): string =>
  JSON.stringify(
    Object.entries(g)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );

/** "web/main: auth › LoginTest › logs in": the group's dimensions, then its test named as people name it (the id only if the test is gone). */
export function describeGroup(g: MetricsGroup, project: string, tests: ReadonlyMap<string, Test>): string {
  const test = g.testId ? tests.get(g.testId) : undefined;
  const parts = [
    g.project ?? project,
    test ? null : g.suite,
    g.branch,
    g.commit,
    g.runId ? `run ${g.runId}` : null,
    g.worker,
    g.hardware,
    g.status,
    ...Object.values(g.tags),
  ].filter((x): x is string => typeof x === 'string' && x !== '');
  const where = parts.join('/');
  if (!g.testId) return where;
  return `${where}: ${test ? testLabel(test) : `test ${g.testId}`}`;
}

export const fmt = (v: number): string =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);

/** The dimension filter that restricts a slice to the groups one run touched. */
export function touchedFilter(groups: readonly MetricsGroup[], groupBy: readonly Dimension[]): ResultFilter {
  const pick = (f: (g: MetricsGroup) => string | null | undefined) => [
    ...new Set(groups.map(f).filter((x): x is string => typeof x === 'string')),
  ];
  const f: Record<string, string[]> = {};
  if (groupBy.includes('PROJECT')) f['project'] = pick((g) => g.project);
  if (groupBy.includes('SUITE')) f['suite'] = pick((g) => g.suite);
  if (groupBy.includes('TEST')) f['testId'] = pick((g) => g.testId);
  if (groupBy.includes('BRANCH')) f['branch'] = pick((g) => g.branch);
  if (groupBy.includes('COMMIT')) f['commit'] = pick((g) => g.commit);
  if (groupBy.includes('RUN')) f['runId'] = pick((g) => g.runId);
  if (groupBy.includes('WORKER')) f['worker'] = pick((g) => g.worker);
  if (groupBy.includes('HARDWARE')) f['hardware'] = pick((g) => g.hardware);
  return f;
}

/** ANDs two slices: a field both constrain keeps the values in both. */
export function intersect(a: ResultFilter, b: ResultFilter): ResultFilter {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = Array.isArray(prev) && Array.isArray(v) ? prev.filter((x) => (v as unknown[]).includes(x)) : v;
  }
  return out;
}

/** What one evaluation of one rule for one ingest reads from (built by `ruleContext`). */
export interface RuleContext {
  readonly store: Store;
  readonly rule: AlertRule;
  readonly notice: IngestNotice;
  readonly groupBy: readonly Dimension[];
  readonly from: Date;
  readonly to: Date;
  /** The groups of this run that the rule watches, and their keys. */
  readonly groups: readonly MetricsGroup[];
  readonly keys: ReadonlySet<string>;
  /** The rule's filter narrowed to the touched groups. */
  readonly scope: ResultFilter;
  readonly op: ComparisonOperator;
  readonly threshold: number;
  /** One measure per group over a slice, unbucketed. */
  readonly perGroup: (filter: ResultFilter, measure: Measure) => Promise<readonly MetricsRow[]>;
  /** A reading per touched group from one measure over the scope and a window. */
  readonly viaMetrics: (measure: Measure, label: string, window: ResultFilter) => Promise<Reading[]>;
  readonly describe: (g: MetricsGroup, project: string) => string;
}

/** One rule kind's readings for the groups an ingest touched. */
export type RuleEvaluator = (ctx: RuleContext) => Promise<Reading[]>;
