import { builder } from './builder.ts';
import { Alert } from './alerts.ts';
import { QualityGateResult } from './quality-gate.ts';
import { DateTime } from './scalars.ts';
import { Test } from './test.ts';
import * as q from '../resolvers/quarantine.ts';
import * as qa from '../resolvers/quarantine-actions.ts';
import * as qe from '../resolvers/quarantine-evaluation.ts';
import type { QuarantineCount as QuarantineCountModel } from '../src/domain/gate.ts';
import {
  QUARANTINE_ACTIONS,
  QUARANTINE_ENDS,
  QUARANTINE_LIMITS,
  QUARANTINE_SOURCES,
  type QuarantineAuditEvent as AuditModel,
  type QuarantineRule as RuleModel,
  type QuarantineStatus as EntryModel,
} from '../src/domain/quarantine.ts';

const L = QUARANTINE_LIMITS;

const QuarantineSourceEnum = builder.enumType('QuarantineSource', {
  description: 'MANUAL: quarantined by a person (quarantineTest). RULE: by a quarantine rule.',
  values: QUARANTINE_SOURCES,
});

const QuarantineEndEnum = builder.enumType('QuarantineEnd', {
  description:
    'Why an entry stopped counting: RELEASED by a person, EXPIRED at its expiry, REVIEWED once the test passed its last N executions (a QUARANTINE_RELEASE alert suggests releasing it), REPLACED by a newer quarantine of the test.',
  values: QUARANTINE_ENDS,
});

const QuarantineActionEnum = builder.enumType('QuarantineAction', {
  description: 'What an audit event records.',
  values: QUARANTINE_ACTIONS,
});

const QuarantineEntry = builder.objectRef<EntryModel>('QuarantineEntry').implement({
  description:
    'A test in quarantine: CI jobs skip it (`assay quarantine list`) and quality gates count its failures apart. It counts until released, until it expires, or until the test has passed `releaseAfterPasses` executions in a row since `since`.',
  fields: (t) => ({
    id: t.exposeID('id'),
    testId: t.exposeID('testId'),
    test: t.field({
      type: Test,
      nullable: true,
      description: 'Suite, class and name; null only if the test has since been removed by retention.',
      resolve: (e, _a, ctx) => ctx.loaders.test.load(e.testId),
    }),
    project: t.exposeString('project'),
    source: t.expose('source', { type: QuarantineSourceEnum }),
    ruleId: t.exposeID('ruleId', {
      nullable: true,
      description: 'The rule that quarantined it (source RULE).',
    }),
    reason: t.exposeString('reason'),
    owner: t.exposeString('owner', {
      description: 'Who is responsible: the person who quarantined it, or `rule:<name>`.',
    }),
    since: t.expose('since', { type: DateTime }),
    expires: t.expose('expiresAt', { type: DateTime }),
    releaseAfterPasses: t.exposeInt('releaseAfterPasses', {
      description: 'Passing executions in a row (first attempt) after which the quarantine is reviewed.',
    }),
    passStreak: t.exposeInt('passStreak', {
      description: 'Executions since `since` that passed on their first attempt after its last other one.',
    }),
    executions: t.exposeInt('executions', { description: 'Executions since `since` (skipped left out).' }),
    failures: t.exposeInt('failures', { description: 'Of those, FAILED or ERROR.' }),
    active: t.exposeBoolean('active', { description: 'Counts as quarantined now.' }),
    endedAt: t.expose('endedAt', { type: DateTime, nullable: true }),
    endReason: t.field({
      type: QuarantineEndEnum,
      nullable: true,
      description:
        'Why it ended; for one that stopped counting but is not recorded yet, what ends it (`due`).',
      resolve: (e) => e.endReason ?? e.due,
    }),
  }),
});

const QuarantineRule = builder.objectRef<RuleModel>('QuarantineRule').implement({
  description:
    'Quarantines the tests of its projects that the flakiness ranking classes FLAKY with a score ≥ minScore over its window. Evaluated after every ingest of a project it watches and on demand (evaluateQuarantine).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    project: t.exposeStringList('project', { description: 'Empty: every project.' }),
    minScore: t.exposeFloat('minScore'),
    windowDays: t.exposeInt('windowDays'),
    minExecutions: t.exposeInt('minExecutions'),
    expiresAfterDays: t.exposeInt('expiresAfterDays'),
    releaseAfterPasses: t.exposeInt('releaseAfterPasses'),
    enabled: t.exposeBoolean('enabled'),
    createdAt: t.expose('createdAt', { type: DateTime }),
    updatedAt: t.expose('updatedAt', { type: DateTime }),
  }),
});

const QuarantineAuditEvent = builder.objectRef<AuditModel>('QuarantineAuditEvent').implement({
  description: 'One change of quarantine: who, when and why.',
  fields: (t) => ({
    seq: t.exposeInt('seq', { description: 'Rises with every event.' }),
    at: t.expose('at', { type: DateTime }),
    action: t.expose('action', { type: QuarantineActionEnum }),
    entryId: t.exposeID('entryId', { nullable: true }),
    testId: t.exposeID('testId', { nullable: true }),
    actor: t.exposeString('actor', {
      description: "A person, `rule:<name>` for a rule's quarantine, or `assay` for expiry and review.",
    }),
    ruleId: t.exposeID('ruleId', { nullable: true }),
    reason: t.exposeString('reason'),
  }),
});

const QuarantineEvaluation = builder.objectRef<qe.QuarantineEvaluation>('QuarantineEvaluation').implement({
  fields: (t) => ({
    started: t.field({ type: [QuarantineEntry], resolve: (e) => e.started }),
    ended: t.field({ type: [QuarantineEntry], resolve: (e) => e.ended }),
    alerts: t.field({ type: [Alert], resolve: (e) => e.alerts }),
  }),
});

const QuarantinedFailure = builder
  .objectRef<QuarantineCountModel['failing'][number]>('QuarantinedFailure')
  .implement({
    fields: (t) => ({
      testId: t.exposeID('testId'),
      test: t.field({ type: Test, nullable: true, resolve: (f, _a, ctx) => ctx.loaders.test.load(f.testId) }),
      failures: t.exposeInt('failures'),
    }),
  });

const QuarantineCount = builder.objectRef<QuarantineCountModel>('QuarantineCount').implement({
  description: "The slice's quarantined tests: left out of every check, their failures counted here.",
  fields: (t) => ({
    tests: t.exposeInt('tests', { description: 'Quarantined tests that ran in the slice.' }),
    executions: t.exposeInt('executions'),
    failures: t.exposeInt('failures', {
      description: 'Their FAILED or ERROR executions: never fail the gate.',
    }),
    failing: t.field({ type: [QuarantinedFailure], resolve: (c) => c.failing }),
  }),
});

builder.objectField(QualityGateResult, 'quarantine', (t) =>
  t.field({ type: QuarantineCount, resolve: (g) => g.quarantine }),
);

const QuarantineFilter = builder.inputType('QuarantineFilter', {
  fields: (t) => ({
    project: t.stringList(),
    testId: t.idList(),
    all: t.boolean({ description: 'Also entries that ended or stopped counting. Default false.' }),
  }),
});

const QuarantineAuditFilter = builder.inputType('QuarantineAuditFilter', {
  fields: (t) => ({
    testId: t.idList(),
    ruleId: t.idList(),
    from: t.field({ type: DateTime }),
    to: t.field({ type: DateTime }),
  }),
});

const QuarantineTestInput = builder.inputType('QuarantineTestInput', {
  fields: (t) => ({
    testId: t.id({ required: true }),
    reason: t.string({ required: true }),
    owner: t.string({ required: true, description: 'Who is responsible for the fix, e.g. an e-mail.' }),
    expiresAt: t.field({
      type: DateTime,
      description: `When it expires, at most ${L.maxDays} days ahead. Or give days.`,
    }),
    days: t.int({ description: `Days from now until it expires (default ${L.defaultDays}).` }),
    releaseAfterPasses: t.int({
      description: `Review after this many passing executions in a row (default ${L.defaultReleaseAfterPasses}).`,
    }),
  }),
});

const QuarantineRuleInput = builder.inputType('QuarantineRuleInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    project: t.stringList({ description: 'Projects it watches; all when omitted.' }),
    minScore: t.float({ required: true, description: 'Smallest flakiness score of a FLAKY test, 0 … 1.' }),
    windowDays: t.int({ description: `Days of history the score reads (default ${L.defaultWindowDays}).` }),
    minExecutions: t.int({ description: `Default ${L.defaultMinExecutions}.` }),
    expiresAfterDays: t.int({ description: `Default ${L.defaultDays}.` }),
    releaseAfterPasses: t.int({ description: `Default ${L.defaultReleaseAfterPasses}.` }),
    enabled: t.boolean(),
  }),
});

builder.queryFields((t) => ({
  quarantined: t.field({
    type: [QuarantineEntry],
    description: 'Quarantined tests as of now (active entries; history with filter.all), newest first.',
    args: { filter: t.arg({ type: QuarantineFilter }) },
    resolve: (_r, { filter }, ctx) => q.quarantined(ctx, filter),
  }),
  quarantineRules: t.field({
    type: [QuarantineRule],
    resolve: (_r, _a, ctx) => qa.quarantineRules(ctx),
  }),
  quarantineAudit: t.field({
    type: [QuarantineAuditEvent],
    description: 'The audit trail of quarantine, newest first.',
    args: {
      filter: t.arg({ type: QuarantineAuditFilter }),
      first: t.arg.int({ description: 'Default 100.' }),
    },
    resolve: (_r, { filter, first }, ctx) => q.quarantineAudit(ctx, filter, first),
  }),
}));

builder.mutationFields((t) => ({
  quarantineTest: t.field({
    type: QuarantineEntry,
    description: "Quarantines a test by hand; replaces the test's active quarantine if it has one.",
    args: { input: t.arg({ type: QuarantineTestInput, required: true }) },
    resolve: (_r, { input }, ctx) => qa.quarantineTest(ctx, input),
  }),
  releaseQuarantine: t.field({
    type: QuarantineEntry,
    nullable: true,
    description: "Ends a test's active quarantine; null when it had none.",
    args: {
      testId: t.arg.id({ required: true }),
      actor: t.arg.string({ required: true, description: 'Who releases it.' }),
      reason: t.arg.string(),
    },
    resolve: (_r, args, ctx) => qa.releaseQuarantine(ctx, args),
  }),
  saveQuarantineRule: t.field({
    type: QuarantineRule,
    description: 'Creates a rule, or replaces the one with `id`.',
    args: {
      id: t.arg.id(),
      input: t.arg({ type: QuarantineRuleInput, required: true }),
      actor: t.arg.string({ required: true }),
    },
    resolve: (_r, { id, input, actor }, ctx) => qa.saveQuarantineRule(ctx, input, actor, id),
  }),
  deleteQuarantineRule: t.boolean({
    description: 'Deletes a rule (its quarantines run their course); false when none had the id.',
    args: { id: t.arg.id({ required: true }), actor: t.arg.string({ required: true }) },
    resolve: (_r, { id, actor }, ctx) => qa.deleteQuarantineRule(ctx, id, actor),
  }),
  evaluateQuarantine: t.field({
    type: QuarantineEvaluation,
    description:
      'Records expiries and reviews due now, then runs the enabled quarantine rules (or the one named), as happens after every ingest.',
    args: { project: t.arg.string(), ruleId: t.arg.id() },
    resolve: (_r, args, ctx) => qe.evaluateQuarantine(ctx, args),
  }),
}));
