import type { Database } from './database.ts';
import { queryGateFigures, queryNewFailures } from './gate.ts';
import type { GateStore } from '../domain/gate.ts';
import type { SliceStore } from '../domain/slices.ts';

/** A quality gate's figures and a slice's new failures (the tests they name come from the slice store). */
export const gateStore = (db: Database): Omit<GateStore, keyof SliceStore> => ({
  gateFigures: (filter, baseBranch) => queryGateFigures(db, filter, baseBranch),
  newFailures: (filter, limit) => queryNewFailures(db, filter, limit),
});
