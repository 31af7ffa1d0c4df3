import type { AlertEngineStore as Store, AlertRule, IngestNotice } from '../../src/domain/alerts.ts';
import { asRunId } from '../../src/domain/ids.ts';
import type { InfraFailure, RunInfraFailure } from '../../src/domain/infra-failures.ts';
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

/**
 * The marks of the notice's run, read once per ingest however many rules ask. The read starts
 * beside the rules' own reads, so a firing reading does not wait for it after them; it costs a
 * read per ingest that touched a rule's slice even when nothing fires.
 */
const marksOf = new WeakMap<IngestNotice, Promise<RunInfraFailure | undefined>>();
export function runMarks(store: Store, notice: IngestNotice): Promise<RunInfraFailure | undefined> {
  let marks = marksOf.get(notice);
  if (!marks) {
    const runId = asRunId(notice.runId);
    marks = store.runInfraFailures([runId]).then((m) => m.get(runId));
    // Awaited only when a reading fires: a failed read must not go unhandled meanwhile.
    marks.catch(() => undefined);
    marksOf.set(notice, marks);
  }
  return marks;
}

/** Names, in the message of each firing reading, the notice's run when it or some of its workers is marked. */
export async function withInfraNote(
  rs: Reading[],
  marksRead: Promise<RunInfraFailure | undefined>,
): Promise<Reading[]> {
  if (!rs.some((r) => r.fires)) return rs;
  const marks = await marksRead;
  if (!marks) return rs;
  const note = `; ${(marks.run ? [marks.run] : marks.workers).map(describe).join('; ')}`;
  return rs.map((r) => (r.fires ? { ...r, message: r.message + note } : r));
}
