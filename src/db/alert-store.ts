import * as alerts from './alerts.ts';
import { alertStateCache, storedState } from './alert-state-cache.ts';
import type { Database } from './database.ts';
import type { AlertRule, AlertStore } from '../domain/alerts.ts';

/**
 * Alert rules, alerts, deliveries and the rules' per-group states. The rules are read once and
 * kept until one is saved or deleted: the alert engine reads them after every ingest, and every
 * rule write (a replica's applied log entries too) goes through this store. So do the rules'
 * per-group states (alert-state-cache.ts).
 */
export const alertStore = (db: Database): AlertStore => {
  let rules: readonly AlertRule[] | null = null;
  // Rises around each rule write, so a read that overlapped one is not kept.
  let generation = 0;
  const changing = async <T>(write: () => Promise<T>): Promise<T> => {
    generation++;
    rules = null;
    try {
      return await write();
    } finally {
      generation++;
      rules = null;
    }
  };
  const states = alertStateCache(db);
  return {
    rules: async () => {
      if (rules) return [...rules];
      const at = generation;
      const read = await alerts.rules(db);
      if (generation === at) rules = read;
      return [...read];
    },
    rule: (id) => alerts.rule(db, id),
    saveRule: (r) => changing(() => alerts.saveRule(db, r)),
    deleteRule: (id) => changing(() => alerts.deleteRule(db, id)),
    insertAlert: (a, id) => alerts.insertAlert(db, a, id),
    fireAlert: (a, state, id) =>
      states.write(
        state.ruleId,
        () => alerts.fireAlert(db, a, state, id),
        (kept, fired) => kept.set(state.groupKey, storedState({ ...state, firing: true, alertId: fired.id })),
      ),
    alert: (id) => alerts.alert(db, id),
    alertsPage: (filter, size, bounds) => alerts.alertsPage(db, filter, size, bounds),
    acknowledgeAlert: (id, at) => alerts.acknowledgeAlert(db, id, at),
    resolveAlert: (id, at) => alerts.resolveAlert(db, id, at),
    recordDelivery: (id, d) => alerts.recordDelivery(db, id, d),
    alertStates: (ruleId) => states.read(ruleId),
    saveAlertState: (st) =>
      states.write(
        st.ruleId,
        () => alerts.saveAlertState(db, st),
        (kept) => kept.set(st.groupKey, storedState(st)),
      ),
    deleteAlertStates: (ruleId) =>
      states.write(
        ruleId,
        () => alerts.deleteAlertStates(db, ruleId),
        (kept) => kept.clear(),
      ),
  };
};
