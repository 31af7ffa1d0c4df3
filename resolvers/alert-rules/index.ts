import type { AlertEngineStore as Store, AlertRule, IngestNotice } from '../../src/domain/alerts.ts';
import { anomaly } from './anomaly.ts';
import { ruleContext } from './context.ts';
import { durationRegression } from './duration-regression.ts';
import { flakyTest } from './flaky-test.ts';
import { runMarks, withInfraNote } from './infra-note.ts';
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
  // Raised by quarantine's review (resolvers/quarantine.ts), never by a rule.
  QUARANTINE_RELEASE: () => Promise.resolve([]),
};

/** The rule's reading for each group `notice`'s run touched (none when it touched none it watches). */
export async function readings(store: Store, rule: AlertRule, notice: IngestNotice): Promise<Reading[]> {
  const ctx = await ruleContext(store, rule, notice);
  if (!ctx) return [];
  const marks = runMarks(store, notice);
  return withInfraNote(await EVALUATORS[rule.kind](ctx), marks);
}
