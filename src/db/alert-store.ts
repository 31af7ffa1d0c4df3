import * as alerts from './alerts.ts';
import type { Database } from './database.ts';
import type { AlertRule, AlertStore } from '../domain/alerts.ts';

/**
 * Alert rules, alerts, deliveries and the rules' per-group states. The rules are read once and
 * kept until one is saved or deleted: the alert engine reads them after every ingest, and every
 * rule write (a replica's applied log entries too) goes through this store.
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
    fireAlert: (a, state, id) => alerts.fireAlert(db, a, state, id),
    alert: (id) => alerts.alert(db, id),
    alertsPage: (filter, size, bounds) => alerts.alertsPage(db, filter, size, bounds),
    acknowledgeAlert: (id, at) => alerts.acknowledgeAlert(db, id, at),
    resolveAlert: (id, at) => alerts.resolveAlert(db, id, at),
    recordDelivery: (id, d) => alerts.recordDelivery(db, id, d),
    alertStates: (ruleId) => alerts.alertStates(db, ruleId),
    saveAlertState: (st) => alerts.saveAlertState(db, st),
    deleteAlertStates: (ruleId) => alerts.deleteAlertStates(db, ruleId),
  };
};
