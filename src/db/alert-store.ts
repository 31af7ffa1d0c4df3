import * as alerts from './alerts.ts';
import type { Database } from './database.ts';
import type { AlertStore } from '../domain/alerts.ts';

/** Alert rules, alerts, deliveries and the rules' per-group states. */
export const alertStore = (db: Database): AlertStore => ({
  rules: () => alerts.rules(db),
  rule: (id) => alerts.rule(db, id),
  saveRule: (r) => alerts.saveRule(db, r),
  deleteRule: (id) => alerts.deleteRule(db, id),
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
});
