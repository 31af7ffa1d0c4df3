import type { Database } from './database.ts';
import { queryWorkerLoads } from './workload.ts';
import type { WorkloadStore } from '../domain/workload.ts';

/** Attempts and busy time per worker and hardware kind. */
export const workloadStore = (db: Database): WorkloadStore => ({
  workerLoads: (filter) => queryWorkerLoads(db, filter),
});
