import type { Database } from './database.ts';
import { Params, where } from './sql.ts';
import { toNumber, ts } from './values.ts';
import {
  groupByRun,
  type InfraFailure,
  type InfraFailureFilter,
  type InfraFailureStore,
  type InfraReason,
} from '../domain/infra-failures.ts';
import { asRunId, type RunId } from '../domain/ids.ts';

/** The marks with their runs, newest run first, the whole run's mark before its workers'. */
async function readMarks(
  db: Database,
  conds: string[],
  p: Params,
  limit: number | null,
): Promise<InfraFailure[]> {
  const rows = await db.query(
    `SELECT r.id, r.project, r.branch, r.started_at AS run_started_at, m.worker, m.reason, m.pattern,
            m.executions, m.failures, m.pattern_failures, m.burst_seconds
     FROM infra_failures m JOIN runs r ON r.seq = m.run_seq ${where(conds)}
     ORDER BY r.started_at DESC, r.seq DESC, m.worker NULLS FIRST
     ${limit === null ? '' : `LIMIT ${p.bind(limit)}`}`,
    p.values,
  );
  return rows.map((r) => {
    const executions = toNumber(r['executions']);
    const failures = toNumber(r['failures']);
    return {
      runId: asRunId(r['id'] as string),
      project: r['project'] as string,
      branch: (r['branch'] as string | null) ?? null,
      runStartedAt: r['run_started_at'] as Date,
      worker: (r['worker'] as string | null) ?? null,
      reason: r['reason'] as InfraReason,
      pattern: (r['pattern'] as string | null) ?? null,
      executions,
      failures,
      failShare: failures / executions,
      patternShare: failures ? toNumber(r['pattern_failures']) / failures : 0,
      burstSeconds: r['burst_seconds'] === null ? 0 : Number(r['burst_seconds']),
    };
  });
}

/** Marks of infrastructure failures, as judged at ingest (infra-judge.ts). */
export const infraFailureStore = (db: Database): InfraFailureStore => ({
  async infrastructureFailures(filter: InfraFailureFilter, limit: number) {
    const p = new Params();
    const conds: string[] = [];
    if (filter.project?.length) conds.push(`r.project IN (${p.list(filter.project)})`);
    if (filter.branch?.length) conds.push(`r.branch IN (${p.list(filter.branch)})`);
    if (filter.runId?.length) conds.push(`r.id IN (${p.list(filter.runId)})`);
    if (filter.from) conds.push(`r.started_at >= ${p.bind(ts(filter.from))}`);
    if (filter.to) conds.push(`r.started_at < ${p.bind(ts(filter.to))}`);
    return readMarks(db, conds, p, limit);
  },
  async runInfraFailures(runIds: readonly RunId[]) {
    if (!runIds.length) return new Map();
    const p = new Params();
    return groupByRun(await readMarks(db, [`r.id IN (${p.list(runIds)})`], p, null));
  },
});
