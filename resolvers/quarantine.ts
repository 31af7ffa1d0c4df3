import { randomUUID } from 'node:crypto';
import { MAX_PAGE, pageSize } from './args.ts';
import { flakiness } from './flakiness.ts';
import type { Alert, AlertRule, AlertStore, IngestNotice } from '../src/domain/alerts.ts';
import type { FlakinessStore } from '../src/domain/flakiness.ts';
import type { SliceStore } from '../src/domain/slices.ts';
import { badInput, notFound } from '../src/domain/errors.ts';
import { asTestId, type TestId } from '../src/domain/ids.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import {
  QUARANTINE_LIMITS,
  SYSTEM_ACTOR,
  checkExpiry,
  checkText,
  checkWhole,
  normaliseQuarantineRule,
  type QuarantineAuditEvent,
  type QuarantineChange,
  type QuarantineRule,
  type QuarantineRuleInput,
  type QuarantineStatus,
  type QuarantineStore,
} from '../src/domain/quarantine.ts';
import type { ResultFilter, Test } from '../src/domain/types.ts';
import { testLabel } from '../src/report/format.ts';

/** What quarantine reads and writes: its own store, the slice's counts and tests, flakiness, and its release alerts. */
type QuarantineResolverStore = QuarantineStore &
  Pick<SliceStore, 'metrics' | 'testsByIds'> &
  FlakinessStore &
  Pick<AlertStore, 'insertAlert'>;
type QDeps = FeatureDeps<QuarantineResolverStore, 'cache' | 'now' | 'pubsub'>;

export interface QuarantineFilter {
  readonly project?: readonly string[] | null | undefined;
  readonly testId?: readonly string[] | null | undefined;
  /** Also entries that ended or stopped counting (history). */
  readonly all?: boolean | null | undefined;
}

/** Entries as of now: the active ones (or all with `all`), newest first. Read fresh: quarantine changes without an ingest. */
export function quarantined(
  deps: FeatureDeps<QuarantineResolverStore, 'now'>,
  filter: QuarantineFilter | null | undefined,
) {
  return deps.store.quarantineEntries({
    now: deps.now(),
    project: filter?.project,
    testId: filter?.testId,
    all: filter?.all ?? false,
  });
}

export interface QuarantineTestInput {
  readonly testId: string;
  readonly reason: string;
  readonly owner: string;
  readonly expiresAt?: Date | null | undefined;
  /** Days from now instead of expiresAt. */
  readonly days?: number | null | undefined;
  readonly releaseAfterPasses?: number | null | undefined;
}

async function testOf(deps: FeatureDeps<QuarantineResolverStore>, id: string): Promise<Test> {
  const test = (await deps.store.testsByIds([asTestId(id)])).get(id);
  if (!test)
    throw badInput(
      `no test has id "${id}": find its id with the \`tests\` query or \`assay quarantine list\``,
      {
        field: 'input.testId',
      },
    );
  return test;
}

/** Quarantines a test by hand; an active entry of the test is replaced (audited as REPLACED). */
export async function quarantineTest(
  deps: FeatureDeps<QuarantineResolverStore, 'now'>,
  input: QuarantineTestInput,
): Promise<QuarantineStatus> {
  const now = deps.now();
  const reason = checkText(input.reason, 'input.reason', '"times out on the shared database, ticket QA-12"');
  const owner = checkText(input.owner, 'input.owner', '"alice@example.com"');
  const expiresAt = checkExpiry(input.expiresAt, input.days, now);
  const releaseAfterPasses = checkWhole(
    input.releaseAfterPasses,
    QUARANTINE_LIMITS.defaultReleaseAfterPasses,
    1,
    QUARANTINE_LIMITS.maxReleaseAfterPasses,
    'input.releaseAfterPasses',
  );
  const test = await testOf(deps, input.testId);
  const previous = await deps.store.quarantineEntries({ now, testId: [test.id] });
  const id = randomUUID();
  await deps.store.changeQuarantine({
    end: previous.map((p) => ({ id: p.id, at: now, reason: 'REPLACED' })),
    start: [
      {
        id,
        testId: test.id,
        project: test.project,
        source: 'MANUAL',
        ruleId: null,
        reason,
        owner,
        since: now,
        expiresAt,
        releaseAfterPasses,
      },
    ],
    audit: [
      ...previous.map((p) => ({
        at: now,
        action: 'REPLACED' as const,
        entryId: p.id,
        testId: test.id,
        actor: owner,
        ruleId: p.ruleId,
        reason: `replaced by a quarantine by ${owner}`,
      })),
      {
        at: now,
        action: 'QUARANTINED',
        entryId: id,
        testId: test.id,
        actor: owner,
        ruleId: null,
        reason: `${reason} (until ${expiresAt.toISOString()}, or ${releaseAfterPasses} passes in a row)`,
      },
    ],
  });
  const [entry] = await deps.store.quarantineEntries({ now, testId: [test.id] });
  return entry!;
}

/** Releases a test's active quarantine; null when it had none. */
export async function releaseQuarantine(
  deps: FeatureDeps<QuarantineResolverStore, 'now'>,
  input: { readonly testId: string; readonly actor: string; readonly reason?: string | null | undefined },
): Promise<QuarantineStatus | null> {
  const now = deps.now();
  const actor = checkText(input.actor, 'input.actor', '"alice@example.com"');
  const reason = input.reason?.trim()
    ? checkText(input.reason, 'input.reason', '"fixed in #123"')
    : 'released';
  const active = await deps.store.quarantineEntries({ now, testId: [input.testId] });
  if (!active.length) return null;
  await deps.store.changeQuarantine({
    start: [],
    end: active.map((e) => ({ id: e.id, at: now, reason: 'RELEASED' })),
    audit: active.map((e) => ({
      at: now,
      action: 'RELEASED',
      entryId: e.id,
      testId: e.testId,
      actor,
      ruleId: e.ruleId,
      reason,
    })),
  });
  const [released] = await deps.store.quarantineEntries({ now, testId: [input.testId], all: true });
  return released ?? null;
}

// ------------------------------------------------------------------ rules

export function quarantineRules(deps: FeatureDeps<QuarantineResolverStore>): Promise<QuarantineRule[]> {
  return deps.store.quarantineRules();
}

export async function saveQuarantineRule(
  deps: FeatureDeps<QuarantineResolverStore, 'now'>,
  input: QuarantineRuleInput,
  actor: string,
  id?: string | null,
): Promise<QuarantineRule> {
  const who = checkText(actor, 'actor', '"alice@example.com"');
  const previous = id ? (await deps.store.quarantineRules()).find((r) => r.id === id) : null;
  if (id && !previous) throw notFound('quarantineRule', id);
  const rule = normaliseQuarantineRule(input, { id: id ?? randomUUID(), now: deps.now(), previous });
  await deps.store.saveQuarantineRule(rule, who);
  return rule;
}

export async function deleteQuarantineRule(
  deps: FeatureDeps<QuarantineResolverStore, 'now'>,
  id: string,
  actor: string,
): Promise<boolean> {
  return deps.store.deleteQuarantineRule(id, checkText(actor, 'actor', '"alice@example.com"'), deps.now());
}

// ------------------------------------------------------------------ evaluation

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
  deps: QDeps,
  options: {
    readonly project?: string | null | undefined;
    readonly ruleId?: string | null | undefined;
    /** Only these tests are candidates for the rules (after an ingest: the run's tests). */
    readonly testId?: readonly string[] | null | undefined;
  } = {},
): Promise<QuarantineEvaluation> {
  const now = deps.now();
  const { store } = deps;
  const project = options.project ? [options.project] : null;

  // 1. Expiry and review.
  const due = (await store.quarantineEntries({ now, project, open: true })).filter((e) => e.due !== null);
  const alerts: Alert[] = [];
  if (due.length) {
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
  }

  // 2. Rules (none when the candidates are an empty list: a run that touched no test).
  const rules = (options.testId?.length === 0 ? [] : await store.quarantineRules()).filter(
    (r) =>
      (options.ruleId ? r.id === options.ruleId : r.enabled) &&
      (!project || !r.project.length || r.project.some((p) => project.includes(p))),
  );
  if (options.ruleId && !rules.length) throw notFound('quarantineRule', options.ruleId);
  const started: QuarantineChange['start'][number][] = [];
  for (const rule of rules) {
    const filter: ResultFilter = {
      ...(rule.project.length && { project: rule.project }),
      ...(options.testId && { testId: options.testId }),
    };
    const ranked = await flakiness(
      deps,
      { filter, window: { days: rule.windowDays }, minExecutions: rule.minExecutions, first: MAX_PAGE },
      now,
    );
    const candidates = ranked.filter((e) => e.classification === 'FLAKY' && e.score >= rule.minScore);
    if (!candidates.length) continue;
    const ids = candidates.map((c) => c.testId);
    const [history, tests] = await Promise.all([
      store.quarantineEntries({ now, testId: ids, all: true }),
      store.testsByIds(ids),
    ]);
    const taken = new Set(started.map((s) => s.testId));
    for (const c of candidates) {
      const test = tests.get(c.testId);
      if (!test || taken.has(c.testId)) continue;
      const own = history.filter((h) => h.testId === c.testId);
      if (own.some((h) => h.active)) continue;
      const lastEnd = Math.max(
        ...own.map((h) => (h.endedAt ?? (h.due === 'EXPIRED' ? h.expiresAt : now)).getTime()),
      );
      if (own.length && !(c.lastFlakeAt && c.lastFlakeAt.getTime() > lastEnd)) continue;
      started.push({
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
  }
  if (started.length)
    await store.changeQuarantine({
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

/** After an ingest: quarantine's review for the run's project, and its rules for the run's tests. */
export function quarantineAfterIngest(deps: QDeps): (notice: IngestNotice) => Promise<void> {
  return async (notice) => {
    const rules = await deps.store.quarantineRules();
    if (!rules.some((r) => r.enabled && (!r.project.length || r.project.includes(notice.project)))) {
      await evaluateQuarantine(deps, { project: notice.project, testId: [] });
      return;
    }
    // As alert rules do, judge only the tests the run touched, so the cost follows the batch.
    const touched = await deps.store.metrics({
      filter: { runId: [notice.runId] },
      groupBy: ['TEST'],
      groupByTags: [],
      bucket: 'NONE',
      measures: [{ kind: 'count', name: 'executions' }],
      orderBy: null,
      limit: 1_000_000,
    });
    const testId = touched.flatMap((r) => (r.group.testId ? [r.group.testId] : []));
    await evaluateQuarantine(deps, { project: notice.project, testId });
  };
}

export function quarantineAudit(
  deps: FeatureDeps<QuarantineResolverStore>,
  filter:
    | {
        readonly testId?: readonly string[] | null | undefined;
        readonly ruleId?: readonly string[] | null | undefined;
        readonly from?: Date | null | undefined;
        readonly to?: Date | null | undefined;
      }
    | null
    | undefined,
  first: number | null | undefined,
): Promise<QuarantineAuditEvent[]> {
  return deps.store.quarantineAudit({ ...filter, limit: pageSize(first, 100, 1) });
}

// ------------------------------------------------------------------ gates and reports

/** What a slice's quarantined tests did in it: their executions and failures, counted apart. */
export interface QuarantinedInSlice {
  readonly entries: readonly QuarantineStatus[];
  /** Quarantined tests that ran in the slice. */
  readonly tests: number;
  /** Their executions in the slice (skipped left out), passed ones, flaky ones, and failures (FAILED or ERROR). */
  readonly executions: number;
  readonly passed: number;
  readonly flaky: number;
  readonly failures: number;
  /** Per quarantined test that failed in the slice, its failures; most first. */
  readonly failing: readonly { readonly testId: TestId; readonly failures: number }[];
}

/** The active quarantine entries a slice touches (its projects and tests), and what those tests did in it. */
export async function quarantinedInSlice(
  deps: FeatureDeps<Pick<QuarantineStore, 'quarantineEntries'> & Pick<SliceStore, 'metrics'>, 'now'>,
  filter: ResultFilter,
  now: Date = deps.now(),
): Promise<QuarantinedInSlice> {
  const entries = await deps.store.quarantineEntries({ now, project: filter.project, testId: filter.testId });
  const none = { entries, tests: 0, executions: 0, passed: 0, flaky: 0, failures: 0, failing: [] };
  if (!entries.length) return none;
  const rows = await deps.store.metrics({
    filter: { ...filter, testId: [...new Set(entries.map((e) => e.testId))] },
    groupBy: ['TEST'],
    groupByTags: [],
    bucket: 'NONE',
    measures: (['passed', 'failed', 'errored', 'flaky'] as const).map((name) => ({ kind: 'count', name })),
    orderBy: null,
    limit: entries.length,
  });
  let passed = 0;
  let flaky = 0;
  let failures = 0;
  const failing: { testId: TestId; failures: number }[] = [];
  for (const r of rows) {
    const v = (k: string): number => r.values[k] ?? 0;
    passed += v('passed');
    flaky += v('flaky');
    const f = v('failed') + v('errored');
    failures += f;
    if (f > 0 && r.group.testId) failing.push({ testId: r.group.testId, failures: f });
  }
  failing.sort((a, b) => b.failures - a.failures || (a.testId < b.testId ? -1 : 1));
  return { entries, tests: rows.length, executions: passed + failures, passed, flaky, failures, failing };
}
