import type {
  Alert,
  AlertEngineStore as Store,
  AlertEvaluator,
  AlertRule,
  AlertState,
  IngestNotice,
} from '../src/domain/alerts.ts';
import type { Deps } from '../src/domain/ports.ts';
import { readings } from './alert-rules/index.ts';
import { BASELINE_WINDOWS, FLAKINESS_DAYS, MINUTE, groupKey, type Reading } from './alert-rules/shared.ts';

export interface AlertEngineOptions {
  readonly store: Store;
  readonly pubsub: Deps['pubsub'];
  /** Posts an alert to its rule's webhooks, off this path (src/alerts/webhooks.ts). */
  readonly notify: (alert: Alert) => void;
  readonly onError?: (error: unknown, rule: AlertRule) => void;
  /** After each rule's evaluation for an ingest, whether it failed (the process's counters). */
  readonly onEvaluated?: (rule: AlertRule, failed: boolean) => void;
  /** Runs after the rules for each ingest, in the same queue (quarantine's rules and review); a throw goes to onAfterIngestError. */
  readonly afterIngest?: (notice: IngestNotice) => Promise<void>;
  readonly onAfterIngestError?: (error: unknown) => void;
}

/**
 * How far before the instant a rule is evaluated at its reading looks: data
 * older than that cannot change it. NEW_FAILURE and ANOMALY judge the newest
 * execution or point only, so a late batch never changes them.
 */
function reach(rule: AlertRule): number {
  switch (rule.kind) {
    case 'THRESHOLD':
    case 'PASS_RATE_DROP':
      return rule.windowMinutes * MINUTE;
    case 'DURATION_REGRESSION':
      return (BASELINE_WINDOWS + 1) * rule.windowMinutes * MINUTE;
    case 'FLAKY_TEST':
      return FLAKINESS_DAYS * 1440 * MINUTE;
    case 'NEW_FAILURE':
    case 'ANOMALY':
    case 'QUARANTINE_RELEASE':
      return 0;
  }
}

/** Steps one group's state with a reading taken as of `at` (data time): fire once, or resolve once it clears. */
async function step(
  { store, pubsub, notify }: Pick<AlertEngineOptions, 'store' | 'pubsub' | 'notify'>,
  rule: AlertRule,
  r: Reading,
  state: AlertState | undefined,
  at: Date,
  project: string,
): Promise<void> {
  const key = groupKey(r.group);
  if (r.fires && !state?.firing) {
    const last = state?.lastFiredAt?.getTime() ?? Number.NEGATIVE_INFINITY;
    if (at.getTime() - last < rule.cooldownMinutes * MINUTE) return;
    const group = { ...r.group, project: r.group.project ?? project };
    const alert = await store.fireAlert(
      {
        kind: rule.kind,
        severity: rule.severity,
        message: r.message,
        firedAt: at,
        value: r.value,
        threshold: rule.threshold,
        group,
        groupKey: key,
        rule,
      },
      { ruleId: rule.id, groupKey: key, lastFiredAt: at, lastValue: r.value, updatedAt: at },
    );
    pubsub.publish('alert', alert);
    notify(alert);
  } else if (state?.firing && r.clears) {
    if (state.alertId) await store.resolveAlert(state.alertId, at);
    await store.saveAlertState({
      ...state,
      firing: false,
      alertId: null,
      lastValue: r.value,
      updatedAt: at,
    });
  }
}

/**
 * Evaluates rules after each committed ingest, only for the groups the run
 * touched (so the cost follows the batch, not the history), with one state
 * per rule and group: an ongoing condition fires once (after the cooldown
 * since its last firing) and resolves once, when it clears by the margin.
 */
export function createAlertEngine({
  store,
  pubsub,
  notify,
  onError,
  onEvaluated,
  afterIngest,
  onAfterIngestError,
}: AlertEngineOptions): AlertEvaluator {
  let queue: Promise<void> = Promise.resolve();

  /**
   * Alert state follows data time. A batch at or after a group's last
   * evaluation steps it as of the batch. A late batch (older than that) can
   * only change the window the state stands on, so the group is read again
   * as of its last evaluation when the batch falls inside that window's reach,
   * and left alone when it does not: old data never fires or resolves a
   * newer window's alert.
   */
  async function evaluate(rule: AlertRule, notice: IngestNotice): Promise<void> {
    // Read side by side: each is a round trip to DuckDB on the path of every alert.
    const [states, current] = await Promise.all([store.alertStates(rule.id), readings(store, rule, notice)]);
    const at = notice.at.getTime();
    const steps: { r: Reading; at: Date }[] = [];
    const late = new Map<number, Set<string>>();
    for (const r of current) {
      const key = groupKey(r.group);
      const last = states.get(key)?.updatedAt.getTime();
      if (last === undefined || last <= at) steps.push({ r, at: notice.at });
      else if (at > last - reach(rule)) {
        const keys = late.get(last) ?? new Set<string>();
        late.set(last, keys.add(key));
      }
    }
    for (const [instant, keys] of late) {
      const then = new Date(instant);
      for (const r of await readings(store, rule, { ...notice, at: then }))
        if (keys.has(groupKey(r.group))) steps.push({ r, at: then });
    }
    for (const { r, at: when } of steps)
      await step({ store, pubsub, notify }, rule, r, states.get(groupKey(r.group)), when, notice.project);
  }

  return {
    onIngest(notice) {
      queue = queue.then(async () => {
        for (const rule of await store.rules()) {
          if (!rule.enabled) continue;
          try {
            await evaluate(rule, notice);
            onEvaluated?.(rule, false);
          } catch (err) {
            onError?.(err, rule);
            onEvaluated?.(rule, true);
          }
        }
        if (afterIngest) await afterIngest(notice).catch((err: unknown) => onAfterIngestError?.(err));
      });
    },
    idle: () => queue,
  };
}
