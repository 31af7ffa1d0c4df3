import { randomUUID } from 'node:crypto';
import { badInput, notFound } from '../src/domain/errors.ts';
import { asTestId } from '../src/domain/ids.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import {
  QUARANTINE_LIMITS,
  checkExpiry,
  checkText,
  checkWhole,
  normaliseQuarantineRule,
  type QuarantineRule,
  type QuarantineRuleInput,
  type QuarantineStatus,
  type QuarantineStore,
} from '../src/domain/quarantine.ts';
import type { SliceStore } from '../src/domain/slices.ts';
import type { Test } from '../src/domain/types.ts';

/** What people's changes to quarantine read and write: quarantine's store, and tests by id. */
type ActionStore = QuarantineStore & Pick<SliceStore, 'testsByIds'>;

export interface QuarantineTestInput {
  readonly testId: string;
  readonly reason: string;
  readonly owner: string;
  readonly expiresAt?: Date | null | undefined;
  /** Days from now instead of expiresAt. */
  readonly days?: number | null | undefined;
  readonly releaseAfterPasses?: number | null | undefined;
}

async function testOf(deps: FeatureDeps<ActionStore>, id: string): Promise<Test> {
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
  deps: FeatureDeps<ActionStore, 'now'>,
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
  deps: FeatureDeps<ActionStore, 'now'>,
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

export function quarantineRules(deps: FeatureDeps<ActionStore>): Promise<QuarantineRule[]> {
  return deps.store.quarantineRules();
}

export async function saveQuarantineRule(
  deps: FeatureDeps<ActionStore, 'now'>,
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
  deps: FeatureDeps<ActionStore, 'now'>,
  id: string,
  actor: string,
): Promise<boolean> {
  return deps.store.deleteQuarantineRule(id, checkText(actor, 'actor', '"alice@example.com"'), deps.now());
}
