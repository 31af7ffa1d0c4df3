import type { AlertEngineStore as Store, AlertRule, IngestNotice } from '../../src/domain/alerts.ts';
import { asRunId } from '../../src/domain/ids.ts';
import type { InfraFailure } from '../../src/domain/infra-failures.ts';
import type { ResultFilter } from '../../src/domain/types.ts';
import type { Reading } from './shared.ts';

/**
 * The slice a rule reads. An infrastructure failure is what an operator wants to hear about, so
 * rules count its executions unless their filter says otherwise; FLAKY_TEST leaves them out, as
 * flakiness does, since they are no evidence about the tests.
 */
export const ruleFilter = (rule: AlertRule): ResultFilter => ({
  ...rule.filter,
  includeInfrastructureFailures: rule.filter.includeInfrastructureFailures ?? rule.kind !== 'FLAKY_TEST',
});

const describe = (m: InfraFailure): string =>
  `${m.worker === null ? `run ${m.runId}` : `worker ${m.worker} of run ${m.runId}`} was marked as an infrastructure failure (${m.failures} of ${m.executions} failed${m.pattern === null ? '' : `, "${m.pattern}"`})`;

/** Names, in the message of each firing reading, the notice's run when it or some of its workers is marked. */
export async function withInfraNote(store: Store, notice: IngestNotice, rs: Reading[]): Promise<Reading[]> {
  if (!rs.some((r) => r.fires)) return rs;
  const runId = asRunId(notice.runId);
  const marks = (await store.runInfraFailures([runId])).get(runId);
  if (!marks) return rs;
  const note = `; ${(marks.run ? [marks.run] : marks.workers).map(describe).join('; ')}`;
  return rs.map((r) => (r.fires ? { ...r, message: r.message + note } : r));
}
