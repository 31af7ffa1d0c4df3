import { anomalyEvents } from '../src/analytics/anomaly/index.ts';
import { DEFAULT_EVIDENCE_OPTIONS, flakinessFromAggregates } from '../src/analytics/flakiness.ts';
import type { Alert, AlertRule, AlertState, ComparisonOperator } from '../src/domain/analytics-types.ts';
import type { AlertEvaluator, Deps, IngestNotice, Store } from '../src/domain/ports.ts';
import type { Dimension, Measure, MetricsGroup, ResultFilter, Test } from '../src/domain/types.ts';
import { testLabel } from '../src/report/format.ts';
import { flakinessCauses } from './flaky-causes.ts';
import { SEASON_CANDIDATES, seriesKind } from './series-args.ts';

export interface AlertEngineOptions {
  readonly store: Store;
  readonly pubsub: Deps['pubsub'];
  /** Posts an alert to its rule's webhooks, off this path (src/alerts/webhooks.ts). */
  readonly notify: (alert: Alert) => void;
  readonly onError?: (error: unknown, rule: AlertRule) => void;
  /** After each rule's evaluation for an ingest, whether it failed (the process's counters). */
  readonly onEvaluated?: (rule: AlertRule, failed: boolean) => void;
}

/** One group's value for a rule: `fires` when the condition holds, `clears` when it has let go by the hysteresis margin. */
interface Reading {
  readonly group: MetricsGroup;
  readonly value: number | null;
  readonly fires: boolean;
  readonly clears: boolean;
  readonly message: string;
}

const MINUTE = 60_000;
/** Flakiness is judged over this look-back, whatever the rule's window. */
const FLAKINESS_DAYS = 30;
/** Executions before the new one that must have passed for NEW_FAILURE. */
const NEW_FAILURE_HISTORY = 3;
/** DURATION_REGRESSION compares the window with the 7 windows before it. */
const BASELINE_WINDOWS = 7;

/**
 * How far before the instant a rule is evaluated at its reading looks: data
 * older than that cannot change it. NEW_FAILURE and ANOMALY judge the newest
 * execution or point only, so a late batch never changes them.
 */
function reach(rule: AlertRule): number {
  switch (rule.kind) {
    case 'THRESHOLD':
    case 'PASS_RATE_DROP':
      return rule.windowMinutes * MINUTE;
    case 'DURATION_REGRESSION':
      return (BASELINE_WINDOWS + 1) * rule.windowMinutes * MINUTE;
    case 'FLAKY_TEST':
      return FLAKINESS_DAYS * 1440 * MINUTE;
    case 'NEW_FAILURE':
    case 'ANOMALY':
      return 0;
  }
}

/**
 * Hysteresis: a condition that fired clears only once the value is back past
 * the threshold by 2 % of it, so a value hovering at the limit fires once.
 */
const margin = (threshold: number): number => Math.max(1e-9, Math.abs(threshold) * 0.02);

function compare(op: ComparisonOperator, v: number, t: number): boolean {
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
function cleared(op: ComparisonOperator, v: number, t: number): boolean {
  return op === 'GT' || op === 'GTE' ? v < t - margin(t) : v > t + margin(t);
}

const SYMBOL: Readonly<Record<ComparisonOperator, string>> = { GT: '>', GTE: '≥', LT: '<', LTE: '≤' };

/** A stable key for a group within a rule. */
export const groupKey = (g: MetricsGroup): string =>
  JSON.stringify(
    Object.entries(g)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );

/** "web/main: auth › LoginTest › logs in": the group's dimensions, then its test named as people name it (the id only if the test is gone). */
function describeGroup(g: MetricsGroup, project: string, tests: ReadonlyMap<string, Test>): string {
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

const fmt = (v: number): string =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);

/** The dimension filter that restricts a slice to the groups one run touched. */
function touchedFilter(groups: readonly MetricsGroup[], groupBy: readonly Dimension[]): ResultFilter {
  const pick = (f: (g: MetricsGroup) => string | null | undefined) => [
    ...new Set(groups.map(f).filter((x): x is string => typeof x === 'string')),
  ];
  const f: Record<string, string[]> = {};
  if (groupBy.includes('PROJECT')) f['project'] = pick((g) => g.project);
  if (groupBy.includes('SUITE')) f['suite'] = pick((g) => g.suite);
  if (groupBy.includes('TEST')) f['testId'] = pick((g) => g.testId);
  if (groupBy.includes('BRANCH')) f['branch'] = pick((g) => g.branch);
  if (groupBy.includes('COMMIT')) f['commit'] = pick((g) => g.commit);
  if (groupBy.includes('WORKER')) f['worker'] = pick((g) => g.worker);
  if (groupBy.includes('HARDWARE')) f['hardware'] = pick((g) => g.hardware);
  return f;
}

/** ANDs two slices: a field both constrain keeps the values in both. */
function intersect(a: ResultFilter, b: ResultFilter): ResultFilter {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = Array.isArray(prev) && Array.isArray(v) ? prev.filter((x) => (v as unknown[]).includes(x)) : v;
  }
  return out;
}

/**
 * Evaluates rules after each committed ingest, only for the groups the run
 * touched (so the cost follows the batch, not the history), with one state
 * per rule and group: an ongoing condition fires once (after the cooldown
 * since its last firing) and resolves once, when it clears by the margin.
 */
export function createAlertEngine({
  store,
  pubsub,
  notify,
  onError,
  onEvaluated,
}: AlertEngineOptions): AlertEvaluator {
  let queue: Promise<void> = Promise.resolve();

  async function readings(rule: AlertRule, notice: IngestNotice): Promise<Reading[]> {
    const groupBy =
      rule.kind === 'NEW_FAILURE' || rule.kind === 'FLAKY_TEST'
        ? [...new Set<Dimension>([...rule.groupBy, 'TEST'])]
        : [...rule.groupBy];
    const to = new Date(notice.at.getTime() + 1);
    const from = new Date(notice.at.getTime() - rule.windowMinutes * MINUTE);
    // The groups of this run that the rule watches.
    /** One measure per group over a slice, unbucketed. */
    const perGroup = (filter: ResultFilter, measure: Measure) =>
      store.metrics({
        filter,
        groupBy,
        groupByTags: [],
        bucket: 'NONE',
        measures: [measure],
        orderBy: null,
        limit: 10_000,
      });
    const touched = await perGroup(intersect(rule.filter, { runId: [notice.runId] }), {
      kind: 'count',
      name: 'executions',
    });
    if (!touched.length) return [];
    const groups = touched.map((r) => r.group);
    const testIds = [...new Set(groups.flatMap((g) => (g.testId ? [g.testId] : [])))];
    const tests = testIds.length ? await store.testsByIds(testIds) : new Map<string, Test>();
    const describe = (g: MetricsGroup, project: string): string => describeGroup(g, project, tests);
    const scope = intersect(rule.filter, touchedFilter(groups, groupBy));
    const keys = new Set(groups.map(groupKey));
    const op = rule.operator ?? 'GTE';
    const threshold = rule.threshold ?? 0;

    const viaMetrics = async (measure: Measure, label: string, window: ResultFilter): Promise<Reading[]> => {
      const rows = await perGroup({ ...scope, ...window }, measure);
      return rows
        .filter((r) => keys.has(groupKey(r.group)))
        .map((r) => {
          const value = Object.values(r.values)[0] ?? null;
          const fires = value !== null && compare(op, value, threshold);
          return {
            group: r.group,
            value,
            fires,
            clears: value !== null && cleared(op, value, threshold),
            message: `${describe(r.group, notice.project)} ${label} ${value === null ? 'n/a' : fmt(value)} ${SYMBOL[op]} ${fmt(threshold)} over ${rule.windowMinutes} min`,
          };
        });
    };

    switch (rule.kind) {
      case 'THRESHOLD': {
        const kind = seriesKind(rule.series ?? {});
        const stat = rule.series?.stat ?? 'AVG';
        const measure: Measure =
          'metric' in kind
            ? { kind: 'metric', name: kind.metric, stat }
            : kind.measure === 'DURATION'
              ? { kind: 'duration', stat }
              : {
                  kind: 'count',
                  name: (
                    {
                      PASS_RATE: 'passRate',
                      FAIL_RATE: 'failRate',
                      FLAKY_RATE: 'flakyRate',
                      EXECUTIONS: 'executions',
                    } as const
                  )[kind.measure],
                };
        const label =
          'metric' in kind
            ? `${kind.metric} ${stat.toLowerCase()}`
            : kind.measure.toLowerCase().replace('_', ' ');
        return viaMetrics(measure, label, { from, to });
      }
      case 'PASS_RATE_DROP':
        return viaMetrics({ kind: 'count', name: 'passRate' }, 'pass rate', { from, to });
      case 'DURATION_REGRESSION': {
        const p95: Measure = { kind: 'duration', stat: 'P95' };
        const span = rule.windowMinutes * MINUTE;
        const base = await perGroup(
          { ...scope, from: new Date(from.getTime() - BASELINE_WINDOWS * span), to: from },
          p95,
        );
        const baseline = new Map(base.map((r) => [groupKey(r.group), Object.values(r.values)[0] ?? null]));
        const now = await perGroup({ ...scope, from, to }, p95);
        return now
          .filter((r) => keys.has(groupKey(r.group)))
          .flatMap((r) => {
            const b = baseline.get(groupKey(r.group));
            const cur = Object.values(r.values)[0];
            if (b === null || b === undefined || b <= 0 || cur === null || cur === undefined) return [];
            const pct = (cur / b - 1) * 100;
            return [
              {
                group: r.group,
                value: pct,
                fires: compare(op, pct, threshold),
                clears: cleared(op, pct, threshold),
                message: `${describe(r.group, notice.project)} p95 duration ${fmt(cur)} ms is ${fmt(pct)}% above its baseline ${fmt(b)} ms (limit ${fmt(threshold)}%)`,
              },
            ];
          });
      }
      case 'FLAKY_TEST': {
        const ids = groups.map((g) => g.testId).filter((x): x is NonNullable<typeof x> => !!x);
        const sums = await store.flakinessAggregates(
          {
            ...intersect(rule.filter, { testId: ids }),
            from: new Date(notice.at.getTime() - FLAKINESS_DAYS * 1440 * MINUTE),
            to,
          },
          DEFAULT_EVIDENCE_OPTIONS,
        );
        const byTest = new Map(groups.map((g) => [g.testId, g]));
        // As the ranking does: evidence a worker or hardware value explains is that value's, not the test's.
        const causes = await flakinessCauses(
          store,
          {
            ...intersect(rule.filter, { testId: ids }),
            from: new Date(notice.at.getTime() - FLAKINESS_DAYS * 1440 * MINUTE),
            to,
          },
          sums,
        );
        return sums.flatMap((a) => {
          const g = byTest.get(a.testId as never);
          if (!g) return [];
          const attributed = causes.get(a.testId);
          const s = flakinessFromAggregates(attributed?.aggregates ?? a);
          const cause = attributed?.cause
            ? ` (leaving out its executions on ${attributed.cause.dimension.toLowerCase()} ${attributed.cause.value}, which hold ${fmt(attributed.cause.share * 100)}% of its evidence)`
            : '';
          return [
            {
              group: g,
              value: s.score,
              fires: s.classification === 'FLAKY' && compare(op, s.score, threshold),
              clears: cleared(op, s.score, threshold),
              message: `${describe(g, notice.project)} is flaky: score ${fmt(s.score)} ${SYMBOL[op]} ${fmt(threshold)} (${s.flakyExecutions} of ${s.executions} executions in ${FLAKINESS_DAYS} days)${cause}`,
            },
          ];
        });
      }
      case 'NEW_FAILURE': {
        const series = await store.series({
          filter: { ...scope, ...(notice.branch ? { branch: [notice.branch] } : {}), to },
          groupBy: ['TEST'],
          groupByTags: [],
          bucket: 'NONE',
          series: { measure: 'FAIL_RATE' },
          stat: 'AVG',
          limit: 1_000_000,
        });
        return series.flatMap((s) => {
          const g = groups.find((x) => x.testId === s.group.testId);
          if (!g) return [];
          const last = s.points.at(-1)!;
          const before = s.points.slice(-1 - NEW_FAILURE_HISTORY, -1);
          const failing = last.value === 1;
          const fires =
            failing && before.length === NEW_FAILURE_HISTORY && before.every((p) => p.value === 0);
          return [
            {
              group: g,
              value: null,
              fires,
              clears: !failing,
              message: `${describe(g, notice.project)} started failing${notice.branch ? ` on ${notice.branch}` : ''} after ${NEW_FAILURE_HISTORY} passing executions`,
            },
          ];
        });
      }
      case 'ANOMALY': {
        const kind = seriesKind(rule.series ?? {});
        const bucket = rule.windowMinutes >= 1440 ? 'DAY' : 'HOUR';
        const series = await store.series({
          filter: { ...scope, from: new Date(notice.at.getTime() - 14 * 1440 * MINUTE), to },
          groupBy,
          groupByTags: [],
          bucket,
          series: kind,
          stat: rule.series?.stat ?? 'AVG',
          limit: 200_000,
        });
        return series
          .filter((s) => keys.has(groupKey(s.group)))
          .map((s) => {
            // Fires on an event's onset only; clears once the event has closed (the series settled back).
            const { points, events } = anomalyEvents(
              s.points.map((p) => p.value),
              { sensitivity: threshold || 3, periods: SEASON_CANDIDATES[bucket] },
            );
            const newest = points.find((p) => p.index === s.points.length - 1 && p.onset);
            return {
              group: s.group,
              value: newest?.score ?? 0,
              fires: !!newest,
              clears: !events.at(-1)?.open,
              message: newest
                ? `${describe(s.group, notice.project)} is anomalous: ${fmt(newest.value)} against an expected ${fmt(newest.expected)} (score ${fmt(newest.score)})`
                : '',
            };
          });
      }
    }
  }

  /** Steps one group's state with a reading taken as of `at` (data time): fire once, or resolve once it clears. */
  async function step(
    rule: AlertRule,
    r: Reading,
    state: AlertState | undefined,
    at: Date,
    project: string,
  ): Promise<void> {
    const key = groupKey(r.group);
    if (r.fires && !state?.firing) {
      const last = state?.lastFiredAt?.getTime() ?? Number.NEGATIVE_INFINITY;
      if (at.getTime() - last < rule.cooldownMinutes * MINUTE) return;
      const group = { ...r.group, project: r.group.project ?? project };
      const alert = await store.fireAlert(
        {
          kind: rule.kind,
          severity: rule.severity,
          message: r.message,
          firedAt: at,
          value: r.value,
          threshold: rule.threshold,
          group,
          groupKey: key,
          rule,
        },
        { ruleId: rule.id, groupKey: key, lastFiredAt: at, lastValue: r.value, updatedAt: at },
      );
      pubsub.publish('alert', alert);
      notify(alert);
    } else if (state?.firing && r.clears) {
      if (state.alertId) await store.resolveAlert(state.alertId, at);
      await store.saveAlertState({
        ...state,
        firing: false,
        alertId: null,
        lastValue: r.value,
        updatedAt: at,
      });
    }
  }

  /**
   * Alert state follows data time. A batch at or after a group's last
   * evaluation steps it as of the batch. A late batch (older than that) can
   * only change the window the state stands on, so the group is read again
   * as of its last evaluation when the batch falls inside that window's reach,
   * and left alone when it does not: old data never fires or resolves a
   * newer window's alert.
   */
  async function evaluate(rule: AlertRule, notice: IngestNotice): Promise<void> {
    const states = await store.alertStates(rule.id);
    const at = notice.at.getTime();
    const steps: { r: Reading; at: Date }[] = [];
    const late = new Map<number, Set<string>>();
    for (const r of await readings(rule, notice)) {
      const key = groupKey(r.group);
      const last = states.get(key)?.updatedAt.getTime();
      if (last === undefined || last <= at) steps.push({ r, at: notice.at });
      else if (at > last - reach(rule)) {
        const keys = late.get(last) ?? new Set<string>();
        late.set(last, keys.add(key));
      }
    }
    for (const [instant, keys] of late) {
      const then = new Date(instant);
      for (const r of await readings(rule, { ...notice, at: then }))
        if (keys.has(groupKey(r.group))) steps.push({ r, at: then });
    }
    for (const { r, at: when } of steps)
      await step(rule, r, states.get(groupKey(r.group)), when, notice.project);
  }

  return {
    onIngest(notice) {
      queue = queue.then(async () => {
        for (const rule of await store.rules()) {
          if (!rule.enabled) continue;
          try {
            await evaluate(rule, notice);
            onEvaluated?.(rule, false);
          } catch (err) {
            onError?.(err, rule);
            onEvaluated?.(rule, true);
          }
        }
      });
    },
    idle: () => queue,
  };
}
