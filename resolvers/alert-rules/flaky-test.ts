import { DEFAULT_EVIDENCE_OPTIONS, flakinessFromAggregates } from '../../src/analytics/flakiness.ts';
import { flakinessCauses } from '../flaky-causes.ts';
import {
  FLAKINESS_DAYS,
  MINUTE,
  SYMBOL,
  cleared,
  compare,
  fmt,
  intersect,
  type RuleEvaluator,
} from './shared.ts';

/** FLAKY_TEST: A test whose flakiness score over the look-back passes the threshold. */
export const flakyTest: RuleEvaluator = async ({
  store,
  rule,
  notice,
  to,
  groups,
  op,
  threshold,
  describe,
}) => {
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
};
