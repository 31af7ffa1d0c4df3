import * as alerts from './alerts.ts';
import type { Database } from './database.ts';
import type { AlertState } from '../domain/alerts.ts';

export interface AlertStateCache {
  /** The rule's states by group key: a copy, read from the database the first time only. */
  read(ruleId: string): Promise<Map<string, AlertState>>;
  /** Runs a state write, then keeps `apply`'s change (once the write has committed). */
  write<T>(
    ruleId: string,
    run: () => Promise<T>,
    apply: (states: Map<string, AlertState>, out: T) => void,
  ): Promise<T>;
}

/**
 * The rules' per-group alert states, kept in memory and written through: the alert engine
 * reads a rule's states after every ingest, and every state write goes through the store that
 * owns this cache (a replica's applied log entries too), so the copy never falls behind the
 * table. A rule's states are read once; a read that overlapped a write is not kept, and a write
 * that failed drops the rule's copy, so the next read comes from the table.
 */
export function alertStateCache(db: Database): AlertStateCache {
  const byRule = new Map<string, Map<string, AlertState>>();
  // Rises around each write, so a read that overlapped one is not kept.
  let generation = 0;
  return {
    async read(ruleId) {
      const kept = byRule.get(ruleId);
      if (kept) return new Map(kept);
      const at = generation;
      const states = await alerts.alertStates(db, ruleId);
      if (generation === at) byRule.set(ruleId, new Map(states));
      return states;
    },
    async write(ruleId, run, apply) {
      generation++;
      try {
        const out = await run();
        const kept = byRule.get(ruleId);
        if (kept) apply(kept, out);
        return out;
      } catch (err) {
        byRule.delete(ruleId);
        throw err;
      } finally {
        generation++;
      }
    },
  };
}

/** A state as the table holds it (and reads it back): only its own fields. */
export const storedState = (s: AlertState): AlertState => ({
  ruleId: s.ruleId,
  groupKey: s.groupKey,
  firing: s.firing,
  alertId: s.alertId,
  lastFiredAt: s.lastFiredAt,
  lastValue: s.lastValue,
  updatedAt: s.updatedAt,
});
