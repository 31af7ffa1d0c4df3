import { badInput } from './errors.ts';
import type { TestId } from './ids.ts';

/**
 * Quarantine: tests whose failures a CI job skips or a quality gate counts
 * apart, put there by hand (with a reason, an owner and an expiry) or by a
 * rule (FLAKY with a score at or above the rule's, over its window). An entry
 * stops counting when it is released, when it expires, or once the test has
 * passed its last `releaseAfterPasses` executions since it was quarantined
 * (it is then REVIEWED and an alert suggests releasing it). Every change is
 * kept in the audit trail.
 */

export const QUARANTINE_SOURCES = ['MANUAL', 'RULE'] as const;
export type QuarantineSource = (typeof QUARANTINE_SOURCES)[number];

/** Why an entry stopped counting; null while it counts. */
export const QUARANTINE_ENDS = ['RELEASED', 'EXPIRED', 'REVIEWED', 'REPLACED'] as const;
export type QuarantineEnd = (typeof QUARANTINE_ENDS)[number];

export const QUARANTINE_ACTIONS = [
  'QUARANTINED',
  'RELEASED',
  'EXPIRED',
  'REVIEWED',
  'REPLACED',
  'RULE_SAVED',
  'RULE_DELETED',
] as const;
export type QuarantineAction = (typeof QUARANTINE_ACTIONS)[number];

/** Limits and defaults of entries and rules. */
export const QUARANTINE_LIMITS = {
  /** Longest quarantine: 90 days; every entry expires. */
  maxDays: 90,
  defaultDays: 14,
  /** Passing executions in a row since the quarantine after which it is reviewed. */
  defaultReleaseAfterPasses: 20,
  maxReleaseAfterPasses: 1000,
  textLength: 500,
  defaultWindowDays: 30,
  defaultMinExecutions: 5,
} as const;

/** The actor the system writes for changes no person made (expiry, review). */
export const SYSTEM_ACTOR = 'assay';

export interface QuarantineEntry {
  readonly id: string;
  readonly testId: TestId;
  readonly project: string;
  readonly source: QuarantineSource;
  /** The rule that quarantined the test (source RULE). */
  readonly ruleId: string | null;
  readonly reason: string;
  readonly owner: string;
  readonly since: Date;
  readonly expiresAt: Date;
  readonly releaseAfterPasses: number;
  /** Set once the entry stopped counting (release, expiry or review recorded). */
  readonly endedAt: Date | null;
  readonly endReason: QuarantineEnd | null;
}

/** An entry as of an instant: whether it counts, and the passing executions in a row since it began. */
export interface QuarantineStatus extends QuarantineEntry {
  /** Non-skipped executions since `since` that passed (first attempt) after its last failure. */
  readonly passStreak: number;
  /** Executions (skipped left out) since `since`, and those failed or errored. */
  readonly executions: number;
  readonly failures: number;
  /** Counts as quarantined at the instant asked: not ended, not expired, not reviewed. */
  readonly active: boolean;
  /** What ends it at that instant when it no longer counts but is not recorded as ended yet. */
  readonly due: QuarantineEnd | null;
}

export interface QuarantineRule {
  readonly id: string;
  readonly name: string;
  /** Projects it watches; empty: every project. */
  readonly project: readonly string[];
  /** Smallest flakiness score (0 … 1) of a FLAKY test it quarantines. */
  readonly minScore: number;
  readonly windowDays: number;
  readonly minExecutions: number;
  /** Days each quarantine it starts lasts. */
  readonly expiresAfterDays: number;
  readonly releaseAfterPasses: number;
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface QuarantineAuditEvent {
  readonly seq: number;
  readonly at: Date;
  readonly action: QuarantineAction;
  readonly entryId: string | null;
  readonly testId: TestId | null;
  /** A person's (the owner or the releasing actor) or SYSTEM_ACTOR. */
  readonly actor: string;
  /** The rule behind the change (a rule's quarantine, or a rule saved or deleted). */
  readonly ruleId: string | null;
  readonly reason: string;
}

/** One write: entries started, entries ended, and their audit events, in one transaction. */
export interface QuarantineChange {
  readonly start: readonly Omit<QuarantineEntry, 'endedAt' | 'endReason'>[];
  readonly end: readonly { readonly id: string; readonly at: Date; readonly reason: QuarantineEnd }[];
  readonly audit: readonly Omit<QuarantineAuditEvent, 'seq'>[];
}

export interface QuarantineQuery {
  readonly now: Date;
  readonly project?: readonly string[] | null | undefined;
  readonly testId?: readonly string[] | null | undefined;
  /** Also entries that ended or stopped counting. @default false */
  readonly all?: boolean | undefined;
  /** Entries not recorded as ended, counting or not (expired or reviewed but not recorded yet). @default false */
  readonly open?: boolean | undefined;
}

export interface QuarantineAuditQuery {
  readonly testId?: readonly string[] | null | undefined;
  readonly ruleId?: readonly string[] | null | undefined;
  readonly from?: Date | null | undefined;
  readonly to?: Date | null | undefined;
  readonly limit: number;
}

/** What quarantine asks of the store (src/db/quarantine.ts); part of the Store port. */
export interface QuarantineStore {
  /** Entries with their status as of `q.now`: active ones only unless `q.all`; newest first. */
  quarantineEntries(q: QuarantineQuery): Promise<QuarantineStatus[]>;
  /** Applies one change atomically; audit events get the next sequence numbers. */
  changeQuarantine(change: QuarantineChange): Promise<void>;
  quarantineRules(): Promise<QuarantineRule[]>;
  /** Stores a rule (replacing one with its id) with its audit event. */
  saveQuarantineRule(rule: QuarantineRule, actor: string): Promise<void>;
  /** Deletes a rule (its entries run their course) with its audit event; false when none had the id. */
  deleteQuarantineRule(id: string, actor: string, at: Date): Promise<boolean>;
  /** Audit events, newest first. */
  quarantineAudit(q: QuarantineAuditQuery): Promise<QuarantineAuditEvent[]>;
}

// ------------------------------------------------------------------ validation

/** Trimmed non-empty text of at most QUARANTINE_LIMITS.textLength characters. */
export function checkText(value: string | null | undefined, field: string, example: string): string {
  const v = (value ?? '').trim();
  if (!v) throw badInput(`${field} is required, e.g. ${example}`, { field });
  if (v.length > QUARANTINE_LIMITS.textLength)
    throw badInput(`${field} is at most ${QUARANTINE_LIMITS.textLength} characters (got ${v.length})`, {
      field,
    });
  return v;
}

export function checkWhole(
  value: number | null | undefined,
  fallback: number,
  min: number,
  max: number,
  field: string,
): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max)
    throw badInput(`${field} must be a whole number from ${min} to ${max} (got ${v})`, { field });
  return v;
}

/** An expiry after `now` and at most QUARANTINE_LIMITS.maxDays ahead; `days` ahead when absent. */
export function checkExpiry(
  expiresAt: Date | null | undefined,
  days: number | null | undefined,
  now: Date,
): Date {
  if (expiresAt && days != null)
    throw badInput('give expiresAt or days, not both', { field: 'input.expiresAt' });
  const d = checkWhole(days, QUARANTINE_LIMITS.defaultDays, 1, QUARANTINE_LIMITS.maxDays, 'input.days');
  const at = expiresAt ?? new Date(now.getTime() + d * 86_400_000);
  const max = now.getTime() + QUARANTINE_LIMITS.maxDays * 86_400_000;
  if (at.getTime() <= now.getTime() || at.getTime() > max)
    throw badInput(
      `input.expiresAt must lie after now (${now.toISOString()}) and at most ${QUARANTINE_LIMITS.maxDays} days ahead; got ${at.toISOString()}`,
      { field: 'input.expiresAt' },
    );
  return at;
}

export interface QuarantineRuleInput {
  readonly name: string;
  readonly project?: readonly string[] | null | undefined;
  readonly minScore: number;
  readonly windowDays?: number | null | undefined;
  readonly minExecutions?: number | null | undefined;
  readonly expiresAfterDays?: number | null | undefined;
  readonly releaseAfterPasses?: number | null | undefined;
  readonly enabled?: boolean | null | undefined;
}

/** A rule from its input, or a clear error naming the field. */
export function normaliseQuarantineRule(
  input: QuarantineRuleInput,
  { id, now, previous }: { id: string; now: Date; previous?: QuarantineRule | null | undefined },
): QuarantineRule {
  const L = QUARANTINE_LIMITS;
  if (!(Number.isFinite(input.minScore) && input.minScore >= 0 && input.minScore <= 1))
    throw badInput(`input.minScore is a flakiness score from 0 to 1, e.g. 0.3 (got ${input.minScore})`, {
      field: 'input.minScore',
    });
  return {
    id,
    name: checkText(input.name, 'input.name', '"flaky api tests"'),
    project: [...new Set((input.project ?? []).map((p) => p.trim()).filter(Boolean))],
    minScore: input.minScore,
    windowDays: checkWhole(input.windowDays, L.defaultWindowDays, 1, 365, 'input.windowDays'),
    minExecutions: checkWhole(input.minExecutions, L.defaultMinExecutions, 1, 10_000, 'input.minExecutions'),
    expiresAfterDays: checkWhole(
      input.expiresAfterDays,
      L.defaultDays,
      1,
      L.maxDays,
      'input.expiresAfterDays',
    ),
    releaseAfterPasses: checkWhole(
      input.releaseAfterPasses,
      L.defaultReleaseAfterPasses,
      1,
      L.maxReleaseAfterPasses,
      'input.releaseAfterPasses',
    ),
    enabled: input.enabled ?? true,
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
}
