import type { AlertRule } from '../../src/domain/analytics-types.ts';
import type { IngestNotice, Store } from '../../src/domain/ports.ts';
import { anomaly } from './anomaly.ts';
import { ruleContext } from './context.ts';
import { durationRegression } from './duration-regression.ts';
import { flakyTest } from './flaky-test.ts';
import { newFailure } from './new-failure.ts';
import { passRateDrop } from './pass-rate-drop.ts';
import type { Reading, RuleEvaluator } from './shared.ts';
import { threshold } from './threshold.ts';

/** One evaluator per rule kind: a new kind does not compile until it has one. */
const EVALUATORS: { readonly [K in AlertRule['kind']]: RuleEvaluator } = {
  THRESHOLD: threshold,
  PASS_RATE_DROP: passRateDrop,
  DURATION_REGRESSION: durationRegression,
  FLAKY_TEST: flakyTest,
  NEW_FAILURE: newFailure,
  ANOMALY: anomaly,
};

/** The rule's reading for each group `notice`'s run touched (none when it touched none it watches). */
export async function readings(store: Store, rule: AlertRule, notice: IngestNotice): Promise<Reading[]> {
  const ctx = await ruleContext(store, rule, notice);
  return ctx ? EVALUATORS[rule.kind](ctx) : [];
}
