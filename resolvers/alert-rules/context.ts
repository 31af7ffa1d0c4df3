import type { AlertEngineStore as Store, AlertRule, IngestNotice } from '../../src/domain/alerts.ts';
import type { Dimension, Measure, MetricsGroup, ResultFilter, Test } from '../../src/domain/types.ts';
import {
  MINUTE,
  SYMBOL,
  cleared,
  compare,
  describeGroup,
  fmt,
  groupKey,
  intersect,
  touchedFilter,
  type Reading,
  type RuleContext,
} from './shared.ts';
import { ruleFilter } from './infra-note.ts';

/** Reads the groups `notice`'s run touched for `rule`; null when it touched none. */
export async function ruleContext(
  store: Store,
  rule: AlertRule,
  notice: IngestNotice,
): Promise<RuleContext | null> {
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
  const filter = ruleFilter(rule);
  const touched = await perGroup(intersect(filter, { runId: [notice.runId] }), {
    kind: 'count',
    name: 'executions',
  });
  if (!touched.length) return null;
  const groups = touched.map((r) => r.group);
  const testIds = [...new Set(groups.flatMap((g) => (g.testId ? [g.testId] : [])))];
  const tests = testIds.length ? await store.testsByIds(testIds) : new Map<string, Test>();
  const describe = (g: MetricsGroup, project: string): string => describeGroup(g, project, tests);
  const scope = intersect(filter, touchedFilter(groups, groupBy));
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

  return {
    store,
    rule,
    notice,
    groupBy,
    from,
    to,
    groups,
    keys,
    scope,
    op,
    threshold,
    perGroup,
    viaMetrics,
    describe,
  };
}
