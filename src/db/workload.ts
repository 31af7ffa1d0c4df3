import type { Database } from './database.ts';
import { Params, finite, resultFilterSql, where } from './sql.ts';
import { toNumber } from './values.ts';
import type { WorkerHardwareLoad } from '../domain/workload.ts';
import type { ResultFilter } from '../domain/types.ts';

/**
 * Attempts per worker and hardware kind in a slice (one row per pair, from
 * `results`: a retry is work too). Attempts that name no worker are left out.
 */
export async function queryWorkerLoads(db: Database, filter: ResultFilter): Promise<WorkerHardwareLoad[]> {
  const p = new Params();
  const rows = await db.query<{
    worker: string;
    hardware: string | null;
    attempts: bigint;
    ran: bigint;
    failed: bigint;
    busy: number | null;
  }>(
    `SELECT worker, hardware, count(*) AS attempts, count(*) FILTER (WHERE status <> 'SKIPPED') AS ran,
            count(*) FILTER (WHERE status IN ('FAILED', 'ERROR')) AS failed, ${finite('sum(duration_ms)')} AS busy
     FROM results ${where([...resultFilterSql(filter, p), 'worker IS NOT NULL'])}
     GROUP BY worker, hardware ORDER BY worker, hardware NULLS LAST`,
    p.values,
  );
  return rows.map((r) => ({
    worker: r.worker,
    hardware: r.hardware,
    attempts: toNumber(r.attempts),
    ran: toNumber(r.ran),
    failed: toNumber(r.failed),
    busyMs: Number(r.busy ?? 0),
  }));
}
