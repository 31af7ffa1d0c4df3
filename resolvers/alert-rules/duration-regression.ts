import type { Measure } from '../../src/domain/types.ts';
import { BASELINE_WINDOWS, MINUTE, cleared, compare, fmt, groupKey, type RuleEvaluator } from './shared.ts';

/** DURATION_REGRESSION: p95 duration against its baseline, the windows before this one. */
export const durationRegression: RuleEvaluator = async ({
  rule,
  notice,
  from,
  to,
  keys,
  scope,
  op,
  threshold,
  perGroup,
  describe,
}) => {
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
};
