import { NEW_FAILURE_HISTORY, type RuleEvaluator } from './shared.ts';

/** NEW_FAILURE: A test failing after passing its last executions. */
export const newFailure: RuleEvaluator = async ({ store, notice, to, groups, scope, describe }) => {
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
    const fires = failing && before.length === NEW_FAILURE_HISTORY && before.every((p) => p.value === 0);
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
};
