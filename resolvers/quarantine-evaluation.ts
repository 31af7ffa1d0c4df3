import { randomUUID } from 'node:crypto';
import { MAX_PAGE } from './args.ts';
import { flakiness } from './flakiness.ts';
import type { Alert, AlertRule, AlertStore } from '../src/domain/alerts.ts';
import { notFound } from '../src/domain/errors.ts';
import type { FlakinessStore } from '../src/domain/flakiness.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import {
  SYSTEM_ACTOR,
  type QuarantineChange,
  type QuarantineRule,
  type QuarantineStatus,
  type QuarantineStore,
} from '../src/domain/quarantine.ts';
import type { SliceStore } from '../src/domain/slices.ts';
import type { ResultFilter, Test } from '../src/domain/types.ts';
import { testLabel } from '../src/report/format.ts';

/** What evaluation reads and writes: quarantine's store, tests by id, flakiness, and its release alerts. */
export type EvaluationDeps = FeatureDeps<
  QuarantineStore & Pick<SliceStore, 'testsByIds'> & FlakinessStore & Pick<AlertStore, 'insertAlert'>,
  'cache' | 'now' | 'pubsub'
>;

type Start = QuarantineChange['start'][number];

export interface EvaluationOptions {
  readonly project?: string | null | undefined;
  readonly ruleId?: string | null | undefined;
  /** Only these tests are candidates for the rules (after an ingest: the run's tests). */
  readonly testId?: readonly string[] | null | undefined;
}

export interface QuarantineEvaluation {
  /** Entries a rule started. */
  readonly started: readonly QuarantineStatus[];
  /** Entries that expired or were reviewed (passed their last N executions), now recorded as ended. */
  readonly ended: readonly QuarantineStatus[];
  /** QUARANTINE_RELEASE alerts raised for the reviewed ones. */
  readonly alerts: readonly Alert[];
}

/** The alert rule a QUARANTINE_RELEASE alert carries: no rule raises it, so it names quarantine and posts nowhere. */
function reviewRule(project: string, at: Date): AlertRule {
  return {
    id: 'quarantine-review',
    name: 'Quarantine review',
    kind: 'QUARANTINE_RELEASE',
    filter: { project: [project] },
    series: null,
    groupBy: ['TEST'],
    operator: null,
    threshold: null,
    windowMinutes: 1,
    severity: 'INFO',
    cooldownMinutes: 0,
    channels: [],
    enabled: true,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Records what the clock has made of the active entries (expired at their
 * expiry; reviewed when the test passed its last `releaseAfterPasses`
 * executions since it was quarantined, which raises a QUARANTINE_RELEASE
 * alert suggesting release), then runs the enabled rules (or the one named):
 * each quarantines the tests of its projects that the flakiness ranking
 * classes FLAKY with a score ≥ its minScore over its window, unless the test
 * is quarantined already or has no flaky evidence since its last quarantine
 * ended (so a released or reviewed test is not put back on old evidence).
 */
export async function evaluateQuarantine(
  deps: EvaluationDeps,
  options: EvaluationOptions = {},
): Promise<QuarantineEvaluation> {
  const now = deps.now();
  const { store } = deps;
  const project = options.project ? [options.project] : null;

  // 1. Expiry and review.
  const due = (await store.quarantineEntries({ now, project, open: true })).filter((e) => e.due !== null);
  const alerts = due.length ? await endDue(deps, due, now) : [];

  // 2. Rules.
  const started: Start[] = [];
  for (const rule of await rulesToRun(store, options, project)) {
    started.push(
      ...(await startsByRule(deps, rule, options.testId, now, new Set(started.map((s) => s.testId)))),
    );
  }
  if (started.length) await recordStarts(store, started, now);

  const fresh = started.length
    ? (await store.quarantineEntries({ now, testId: started.map((s) => s.testId) })).filter((e) =>
        started.some((s) => s.id === e.id),
      )
    : [];
  const endedNow = due.length
    ? (await store.quarantineEntries({ now, testId: due.map((d) => d.testId), all: true })).filter((e) =>
        due.some((d) => d.id === e.id),
      )
    : [];
  return { started: fresh, ended: endedNow, alerts };
}

/** Ends the due entries (expired at their expiry, reviewed now) and raises a release alert per reviewed one. */
async function endDue(deps: EvaluationDeps, due: readonly QuarantineStatus[], now: Date): Promise<Alert[]> {
  const { store } = deps;
  await store.changeQuarantine({
    start: [],
    end: due.map((e) => ({ id: e.id, at: e.due === 'EXPIRED' ? e.expiresAt : now, reason: e.due! })),
    audit: due.map((e) => ({
      at: e.due === 'EXPIRED' ? e.expiresAt : now,
      action: e.due!,
      entryId: e.id,
      testId: e.testId,
      actor: SYSTEM_ACTOR,
      ruleId: e.ruleId,
      reason:
        e.due === 'EXPIRED'
          ? `expired (quarantined ${e.since.toISOString()} by ${e.owner})`
          : `passed its last ${e.passStreak} executions since ${e.since.toISOString()} (review after ${e.releaseAfterPasses}): release suggested`,
    })),
  });
  const reviewed = due.filter((e) => e.due === 'REVIEWED');
  const tests = reviewed.length
    ? await store.testsByIds(reviewed.map((e) => e.testId))
    : new Map<string, Test>();
  const alerts: Alert[] = [];
  for (const e of reviewed) {
    const test = tests.get(e.testId);
    const alert = await store.insertAlert({
      kind: 'QUARANTINE_RELEASE',
      severity: 'INFO',
      message: `${e.project}: ${test ? testLabel(test) : `test ${e.testId}`} passed its last ${e.passStreak} executions in quarantine (owner ${e.owner}, since ${e.since.toISOString()}): its quarantine no longer counts; fix or release it for good`,
      firedAt: now,
      value: e.passStreak,
      threshold: e.releaseAfterPasses,
      group: { project: e.project, testId: e.testId, tags: {} },
      groupKey: JSON.stringify([['testId', e.testId]]),
      rule: reviewRule(e.project, now),
    });
    deps.pubsub.publish('alert', alert);
    alerts.push(alert);
  }
  return alerts;
}

/** The enabled rules of the project (or the one named); none when the candidates are an empty list: a run that touched no test. */
async function rulesToRun(
  store: QuarantineStore,
  options: EvaluationOptions,
  project: readonly string[] | null,
): Promise<QuarantineRule[]> {
  const rules = (options.testId?.length === 0 ? [] : await store.quarantineRules()).filter(
    (r) =>
      (options.ruleId ? r.id === options.ruleId : r.enabled) &&
      (!project || !r.project.length || r.project.some((p) => project.includes(p))),
  );
  if (options.ruleId && !rules.length) throw notFound('quarantineRule', options.ruleId);
  return rules;
}

/**
 * The entries one rule starts: its FLAKY tests scoring at least its minScore,
 * leaving out tests `taken` by an earlier rule, tests quarantined already, and
 * tests with no flaky evidence since their last quarantine ended.
 */
async function startsByRule(
  deps: EvaluationDeps,
  rule: QuarantineRule,
  testId: readonly string[] | null | undefined,
  now: Date,
  taken: ReadonlySet<string>,
): Promise<Start[]> {
  const { store } = deps;
  const filter: ResultFilter = {
    ...(rule.project.length && { project: rule.project }),
    ...(testId && { testId }),
  };
  const ranked = await flakiness(
    deps,
    { filter, window: { days: rule.windowDays }, minExecutions: rule.minExecutions, first: MAX_PAGE },
    now,
  );
  const candidates = ranked.filter((e) => e.classification === 'FLAKY' && e.score >= rule.minScore);
  if (!candidates.length) return [];
  const ids = candidates.map((c) => c.testId);
  const [history, tests] = await Promise.all([
    store.quarantineEntries({ now, testId: ids, all: true }),
    store.testsByIds(ids),
  ]);
  const starts: Start[] = [];
  for (const c of candidates) {
    const test = tests.get(c.testId);
    if (!test || taken.has(c.testId)) continue;
    const own = history.filter((h) => h.testId === c.testId);
    if (own.some((h) => h.active)) continue;
    const lastEnd = Math.max(
      ...own.map((h) => (h.endedAt ?? (h.due === 'EXPIRED' ? h.expiresAt : now)).getTime()),
    );
    if (own.length && !(c.lastFlakeAt && c.lastFlakeAt.getTime() > lastEnd)) continue;
    starts.push({
      id: randomUUID(),
      testId: c.testId,
      project: test.project,
      source: 'RULE',
      ruleId: rule.id,
      reason: `flaky: score ${c.score.toFixed(3)} ≥ ${rule.minScore} over ${rule.windowDays} days (${c.flakyExecutions} of ${c.executions} executions), rule "${rule.name}"`,
      owner: `rule:${rule.name}`,
      since: now,
      expiresAt: new Date(now.getTime() + rule.expiresAfterDays * 86_400_000),
      releaseAfterPasses: rule.releaseAfterPasses,
    });
  }
  return starts;
}

/** Stores the rules' new entries with a QUARANTINED audit event each. */
function recordStarts(store: QuarantineStore, started: readonly Start[], now: Date): Promise<void> {
  return store.changeQuarantine({
    start: started,
    end: [],
    audit: started.map((s) => ({
      at: now,
      action: 'QUARANTINED',
      entryId: s.id,
      testId: s.testId,
      actor: s.owner,
      ruleId: s.ruleId,
      reason: s.reason,
    })),
  });
}
