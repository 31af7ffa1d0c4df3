import { builder } from './builder.ts';
import { QualityGateResult } from './quality-gate.ts';
import { Run } from './run.ts';
import { DateTime } from './scalars.ts';
import * as infraResolvers from '../resolvers/infra-failures.ts';
import {
  INFRA_REASONS,
  type InfraFailure as InfraFailureModel,
  type RunInfraFailure as RunInfraFailureModel,
} from '../src/domain/infra-failures.ts';
import type { InfraLeftOut } from '../src/domain/gate.ts';

const InfraReasonEnum = builder.enumType('InfrastructureFailureReason', {
  description:
    'Why a run or worker was marked: SHARED_PATTERN, most failures share one failure pattern; BURST, every failure started within seconds of the first.',
  values: INFRA_REASONS,
});

const InfrastructureFailure = builder.objectRef<InfraFailureModel>('InfrastructureFailure').implement({
  description:
    'A run, or one worker of a run, marked as an infrastructure failure at ingest: enough executions, most of them failed, and the failures share one pattern or all started within seconds. Its executions are left out of flakiness and pass-rate trends unless a filter sets includeInfrastructureFailures.',
  fields: (t) => ({
    runId: t.exposeID('runId'),
    project: t.exposeString('project'),
    branch: t.exposeString('branch', { nullable: true }),
    runStartedAt: t.expose('runStartedAt', { type: DateTime }),
    worker: t.exposeString('worker', {
      nullable: true,
      description: 'The marked worker; null when the whole run is marked.',
    }),
    reason: t.expose('reason', { type: InfraReasonEnum }),
    pattern: t.exposeString('pattern', {
      nullable: true,
      description: "The failures' most common pattern (message with ids, numbers, paths and times masked).",
    }),
    executions: t.exposeInt('executions', { description: 'Executions that ran (skipped left out).' }),
    failures: t.exposeInt('failures', { description: 'Of those, failed or errored.' }),
    failShare: t.exposeFloat('failShare', { description: 'failures / executions.' }),
    patternShare: t.exposeFloat('patternShare', { description: 'Share of the failures with `pattern`.' }),
    burstSeconds: t.exposeFloat('burstSeconds', {
      description: "Seconds from the first failure's start to the last's.",
    }),
  }),
});

const RunInfrastructureFailure = builder
  .objectRef<RunInfraFailureModel>('RunInfrastructureFailure')
  .implement({
    description: "A run's infrastructure-failure marks: the whole run's, and its marked workers'.",
    fields: (t) => ({
      wholeRun: t.field({
        type: InfrastructureFailure,
        nullable: true,
        description: "The whole run's mark; null when only some of its workers are marked.",
        resolve: (r) => r.run,
      }),
      workers: t.field({ type: [InfrastructureFailure], resolve: (r) => r.workers }),
    }),
  });

builder.objectField(Run, 'infrastructureFailure', (t) =>
  t.field({
    type: RunInfrastructureFailure,
    nullable: true,
    description: 'Set when the run, or some of its workers, was marked as an infrastructure failure.',
    resolve: (run, _args, ctx) => infraResolvers.runInfrastructureFailure(ctx, run.id),
  }),
);

const GateInfrastructureCount = builder.objectRef<InfraLeftOut>('GateInfrastructureCount').implement({
  description:
    "The slice's executions of runs and workers marked as infrastructure failures: left out of every check and counted here; all 0 when the filter sets includeInfrastructureFailures.",
  fields: (t) => ({
    executions: t.exposeInt('executions', { description: 'Executions left out (skipped ones aside).' }),
    failures: t.exposeInt('failures', {
      description: 'Their FAILED or ERROR executions: neither lower the pass rate nor count as new failures.',
    }),
    runs: t.exposeInt('runs', { description: 'The runs they belong to.' }),
  }),
});

builder.objectField(QualityGateResult, 'infrastructure', (t) =>
  t.field({ type: GateInfrastructureCount, resolve: (g) => g.infrastructure }),
);

const InfrastructureFailureFilter = builder.inputType('InfrastructureFailureFilter', {
  description: 'Marked runs and workers; `from`/`to` are half-open [from, to) on the run start.',
  fields: (t) => ({
    project: t.stringList(),
    branch: t.stringList(),
    runId: t.idList(),
    from: t.field({ type: DateTime }),
    to: t.field({ type: DateTime }),
  }),
});

builder.queryField('infrastructureFailures', (t) =>
  t.field({
    type: [InfrastructureFailure],
    description:
      "Runs and workers marked as infrastructure failures, newest run first (a run's whole mark before its workers'); at most `first` (default 100, at most 1000).",
    args: { filter: t.arg({ type: InfrastructureFailureFilter }), first: t.arg.int() },
    resolve: (_root, args, ctx) => infraResolvers.infrastructureFailures(ctx, args),
  }),
);
