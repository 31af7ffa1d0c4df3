import type { RuleEvaluator } from './shared.ts';

/** PASS_RATE_DROP: The pass rate over the window against the threshold. */
export const passRateDrop: RuleEvaluator = async ({ from, to, viaMetrics }) => {
  return viaMetrics({ kind: 'count', name: 'passRate' }, 'pass rate', { from, to });
};
