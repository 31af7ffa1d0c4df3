import type { StoredApiKey } from '../domain/access.ts';
import type { AlertDelivery, AlertRule, AlertState, NewAlert } from '../domain/alerts.ts';
import type { ValidBatch } from '../domain/ingest.ts';
import type { Store } from '../domain/ports.ts';
import type { QuarantineChange, QuarantineRule } from '../domain/quarantine.ts';
import type { RetentionOutcome } from '../domain/retention.ts';
import type { Alert } from '../domain/alerts.ts';
import type { StoredBatch } from '../domain/types.ts';

/**
 * One write of the shared log: a call of one of the Store's write methods
 * with its arguments, everything a replica needs to apply it the same way
 * (ids and times are chosen before the entry is appended, never on apply).
 */
export type Entry =
  | { readonly op: 'ingest'; readonly batch: ValidBatch }
  | { readonly op: 'saveRule'; readonly rule: AlertRule }
  | { readonly op: 'deleteRule'; readonly id: string }
  | { readonly op: 'insertAlert'; readonly alert: NewAlert; readonly id: string }
  | {
      readonly op: 'fireAlert';
      readonly alert: NewAlert;
      readonly state: Omit<AlertState, 'firing' | 'alertId'>;
      readonly id: string;
    }
  | { readonly op: 'acknowledgeAlert'; readonly id: string; readonly at: Date }
  | { readonly op: 'resolveAlert'; readonly id: string; readonly at: Date }
  | { readonly op: 'recordDelivery'; readonly alertId: string; readonly delivery: AlertDelivery }
  | { readonly op: 'saveAlertState'; readonly state: AlertState }
  | { readonly op: 'deleteAlertStates'; readonly ruleId: string }
  | { readonly op: 'deleteRunsBefore'; readonly cutoff: Date }
  | { readonly op: 'changeQuarantine'; readonly change: QuarantineChange }
  | { readonly op: 'saveQuarantineRule'; readonly rule: QuarantineRule; readonly actor: string }
  | { readonly op: 'deleteQuarantineRule'; readonly id: string; readonly actor: string; readonly at: Date }
  | { readonly op: 'saveKey'; readonly key: StoredApiKey }
  | { readonly op: 'revokeKey'; readonly id: string; readonly at: Date };

/** What applying each kind of entry returns to the replica that appended it. */
export interface EntryResults {
  ingest: StoredBatch;
  saveRule: void;
  deleteRule: boolean;
  insertAlert: Alert;
  fireAlert: Alert;
  acknowledgeAlert: Alert | null;
  resolveAlert: Alert | null;
  recordDelivery: void;
  saveAlertState: void;
  deleteAlertStates: void;
  deleteRunsBefore: RetentionOutcome;
  changeQuarantine: void;
  saveQuarantineRule: void;
  deleteQuarantineRule: boolean;
  saveKey: void;
  revokeKey: boolean;
}

export type Op = Entry['op'];

const OPS: ReadonlySet<string> = new Set<Op>([
  'ingest',
  'saveRule',
  'deleteRule',
  'insertAlert',
  'fireAlert',
  'acknowledgeAlert',
  'resolveAlert',
  'recordDelivery',
  'saveAlertState',
  'deleteAlertStates',
  'deleteRunsBefore',
  'changeQuarantine',
  'saveQuarantineRule',
  'deleteQuarantineRule',
  'saveKey',
  'revokeKey',
]);

export function isEntry(v: unknown): v is Entry {
  return v !== null && typeof v === 'object' && OPS.has((v as { op?: unknown }).op as string);
}

/** Applies one entry to the local store: exactly one write transaction. */
export function applyEntry(store: Store, e: Entry): Promise<EntryResults[Op]> {
  switch (e.op) {
    case 'ingest':
      return store.ingest(e.batch);
    case 'saveRule':
      return store.saveRule(e.rule);
    case 'deleteRule':
      return store.deleteRule(e.id);
    case 'insertAlert':
      return store.insertAlert(e.alert, e.id);
    case 'fireAlert':
      return store.fireAlert(e.alert, e.state, e.id);
    case 'acknowledgeAlert':
      return store.acknowledgeAlert(e.id, e.at);
    case 'resolveAlert':
      return store.resolveAlert(e.id, e.at);
    case 'recordDelivery':
      return store.recordDelivery(e.alertId, e.delivery);
    case 'saveAlertState':
      return store.saveAlertState(e.state);
    case 'deleteAlertStates':
      return store.deleteAlertStates(e.ruleId);
    case 'deleteRunsBefore':
      return store.deleteRunsBefore(e.cutoff);
    case 'changeQuarantine':
      return store.changeQuarantine(e.change);
    case 'saveQuarantineRule':
      return store.saveQuarantineRule(e.rule, e.actor);
    case 'deleteQuarantineRule':
      return store.deleteQuarantineRule(e.id, e.actor, e.at);
    case 'saveKey':
      return store.saveKey(e.key);
    case 'revokeKey':
      return store.revokeKey(e.id, e.at);
  }
}
