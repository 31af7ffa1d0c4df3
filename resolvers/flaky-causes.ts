import { DEFAULT_EVIDENCE_OPTIONS } from '../src/analytics/flakiness.ts';
import { attributeCauses, type Attribution } from '../src/analytics/flaky-cause.ts';
import type { FlakinessAggregates, FlakinessStore, FlakinessValueSums } from '../src/domain/flakiness.ts';
import type { ResultFilter } from '../src/domain/types.ts';

/**
 * The infrastructure causes of the candidate tests' flaky evidence over a
 * slice (src/analytics/flaky-cause.ts), from their sums per worker and
 * hardware value: by test id, each attributed test's aggregates without its
 * executions on the sick value, and that value. Shared by the `flakiness`
 * ranking and FLAKY_TEST alert rules, so both judge a test the same way.
 */
export async function flakinessCauses(
  store: Pick<FlakinessStore, 'flakinessByValue'>,
  filter: ResultFilter,
  candidates: readonly FlakinessAggregates[],
): Promise<Map<string, Attribution>> {
  const withEvidence = candidates.filter((a) => a.flakyExecutions > 0);
  if (!withEvidence.length) return new Map();
  const { values, pools } = await store.flakinessByValue(
    filter,
    withEvidence.map((a) => a.testId),
    DEFAULT_EVIDENCE_OPTIONS,
  );
  const byTest = new Map<string, FlakinessValueSums[]>();
  for (const v of values) {
    const list = byTest.get(v.testId);
    if (list) list.push(v);
    else byTest.set(v.testId, [v]);
  }
  return attributeCauses(
    withEvidence.map((a) => ({ aggregates: a, values: byTest.get(a.testId) ?? [] })),
    pools,
    { recent: DEFAULT_EVIDENCE_OPTIONS.recent },
  );
}
