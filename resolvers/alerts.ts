import { randomUUID } from 'node:crypto';
import { normaliseRule } from '../src/domain/alert-rules.ts';
import type { Alert, AlertFilter, AlertRule, AlertRuleInput, AlertStore } from '../src/domain/alerts.ts';
import type { Severity } from '../src/domain/types.ts';
import { pageWindow, type ConnectionArgs } from './args.ts';
import { notFound } from '../src/domain/errors.ts';
import { filterIterable } from '../src/domain/iterables.ts';
import type { FeatureDeps, Deps } from '../src/domain/ports.ts';
import type { Page } from '../src/domain/types.ts';

const RANK: Readonly<Record<Severity, number>> = { INFO: 0, WARNING: 1, CRITICAL: 2 };

export const alertRules = (deps: FeatureDeps<AlertStore>): Promise<AlertRule[]> => deps.store.rules();

export async function alertRule(deps: FeatureDeps<AlertStore>, id: string): Promise<AlertRule> {
  const rule = await deps.store.rule(id);
  if (!rule) throw notFound('alertRule', id);
  return rule;
}

export async function createAlertRule(
  deps: FeatureDeps<AlertStore, 'now'>,
  input: AlertRuleInput,
  now = deps.now(),
): Promise<AlertRule> {
  const rule = normaliseRule(input, { id: randomUUID(), now });
  await deps.store.saveRule(rule);
  return rule;
}

/** Replaces a rule; its groups' alarm states are kept unless the kind changed. */
export async function updateAlertRule(
  deps: FeatureDeps<AlertStore, 'now'>,
  id: string,
  input: AlertRuleInput,
  now = deps.now(),
): Promise<AlertRule> {
  const previous = await alertRule(deps, id);
  const rule = normaliseRule(input, { id, now, previous });
  await deps.store.saveRule(rule);
  if (rule.kind !== previous.kind) await deps.store.deleteAlertStates(id);
  return rule;
}

/** Deletes a rule and its alarm states; its alerts stay, each with a copy of the rule. */
export async function deleteAlertRule(deps: FeatureDeps<AlertStore>, id: string): Promise<boolean> {
  const deleted = await deps.store.deleteRule(id);
  if (deleted) await deps.store.deleteAlertStates(id);
  return deleted;
}

export function alerts(
  deps: FeatureDeps<AlertStore>,
  args: ConnectionArgs & { filter?: AlertFilter | null | undefined },
  count = true,
): Promise<Page<Alert, number | null>> {
  const { size, bounds } = pageWindow(args, count);
  return deps.store.alertsPage(args.filter, size, bounds);
}

export async function acknowledgeAlert(
  deps: FeatureDeps<AlertStore, 'now'>,
  id: string,
  now = deps.now(),
): Promise<Alert> {
  const a = await deps.store.acknowledgeAlert(id, now);
  if (!a) throw notFound('alert', id);
  return a;
}

/** Resolves an alert by hand; its group may fire again once the rule's cooldown has passed. */
export async function resolveAlert(
  deps: FeatureDeps<AlertStore, 'now'>,
  id: string,
  now = deps.now(),
): Promise<Alert> {
  const a = await deps.store.resolveAlert(id, now);
  if (!a) throw notFound('alert', id);
  const state = (await deps.store.alertStates(a.rule.id)).get(a.groupKey);
  if (state?.firing && state.alertId === id)
    await deps.store.saveAlertState({ ...state, firing: false, alertId: null, updatedAt: now });
  return a;
}

/** Whether an alert passes a subscription's or a query's filter. */
function matchesAlert(a: Alert, f: AlertFilter): boolean {
  if (f.severity?.length && !f.severity.includes(a.severity)) return false;
  if (f.minSeverity && RANK[a.severity] < RANK[f.minSeverity]) return false;
  if (f.kind?.length && !f.kind.includes(a.kind)) return false;
  if (f.ruleId?.length && !f.ruleId.includes(a.rule.id)) return false;
  if (f.project?.length && !(a.group.project && f.project.includes(a.group.project))) return false;
  if (
    f.acknowledged !== null &&
    f.acknowledged !== undefined &&
    (a.acknowledgedAt !== null) !== f.acknowledged
  )
    return false;
  if (f.resolved !== null && f.resolved !== undefined && (a.resolvedAt !== null) !== f.resolved) return false;
  if (f.from && a.firedAt < f.from) return false;
  if (f.to && a.firedAt >= f.to) return false;
  return true;
}

/** Alerts as they fire, filtered. */
export function alertEvents(deps: Pick<Deps, 'pubsub'>, filter: AlertFilter): AsyncIterableIterator<Alert> {
  return filterIterable(deps.pubsub.subscribe('alert'), (a) => matchesAlert(a, filter));
}
