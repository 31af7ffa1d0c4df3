import type { Entry, EntryResults } from './entries.ts';
import type { Store } from '../domain/ports.ts';

type Append = <E extends Entry>(entry: E) => Promise<EntryResults[E['op']]>;

/**
 * The Store resolvers see on a replica: reads go to the local database,
 * writes go through the shared log and return once applied here. Ids and
 * times are fixed before the append, so every replica stores the same.
 */
export function replicatedStore(local: Store, append: Append, newId: () => string): Store {
  const writes: Partial<Store> = {
    ingest: (batch) => append({ op: 'ingest', batch }),
    saveRule: (rule) => append({ op: 'saveRule', rule }),
    deleteRule: (id) => append({ op: 'deleteRule', id }),
    insertAlert: (alert, id = newId()) => append({ op: 'insertAlert', alert, id }),
    fireAlert: (alert, state, id = newId()) => append({ op: 'fireAlert', alert, state, id }),
    acknowledgeAlert: (id, at) => append({ op: 'acknowledgeAlert', id, at }),
    resolveAlert: (id, at) => append({ op: 'resolveAlert', id, at }),
    recordDelivery: (alertId, delivery) => append({ op: 'recordDelivery', alertId, delivery }),
    saveAlertState: (state) => append({ op: 'saveAlertState', state }),
    deleteAlertStates: (ruleId) => append({ op: 'deleteAlertStates', ruleId }),
    changeQuarantine: (change) => append({ op: 'changeQuarantine', change }),
    saveQuarantineRule: (rule, actor) => append({ op: 'saveQuarantineRule', rule, actor }),
    deleteQuarantineRule: (id, actor, at) => append({ op: 'deleteQuarantineRule', id, actor, at }),
    // Only the hash travels: the secret never enters the log.
    saveKey: (key) => append({ op: 'saveKey', key }),
    revokeKey: (id, at) => append({ op: 'revokeKey', id, at }),
    // A dry run only counts: local.
    deleteRunsBefore: (cutoff, options) =>
      options?.dryRun ? local.deleteRunsBefore(cutoff, options) : append({ op: 'deleteRunsBefore', cutoff }),
  };
  // Everything else (reads, dataVersion, close) is the local store's: its getters read live values.
  return Object.assign(Object.create(local) as Store, writes);
}
