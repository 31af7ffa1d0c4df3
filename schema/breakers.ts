import { builder } from './builder.ts';
import { ResultFilter } from './inputs.ts';
import { DateTime } from './scalars.ts';
import * as breakerResolvers from '../resolvers/breakers.ts';
import type {
  BreakerTransition as BreakerTransitionModel,
  CircuitBreakerReport as CircuitBreakerReportModel,
} from '../src/domain/breakers.ts';
import { BREAKER_STATES } from '../src/domain/types.ts';

const BreakerStateEnum = builder.enumType('BreakerState', {
  description:
    'CLOSED: traffic flows. OPEN: traffic is refused. HALF_OPEN: trial traffic decides whether to close again.',
  values: BREAKER_STATES,
});

const BreakerTransition = builder.objectRef<BreakerTransitionModel>('BreakerTransition').implement({
  description:
    'One state change of a circuit breaker: as ingested, or inferred where an ingested one did not follow its predecessor.',
  fields: (t) => ({
    at: t.expose('at', { type: DateTime }),
    from: t.expose('from', { type: BreakerStateEnum }),
    to: t.expose('to', { type: BreakerStateEnum }),
    reason: t.exposeString('reason', { nullable: true }),
    inferred: t.exposeBoolean('inferred', {
      description:
        "True when not ingested but implied: the next transition's `from` differed from the state before it, so a transition to that `from` is assumed at the same instant.",
    }),
  }),
});

const CircuitBreakerReport = builder.objectRef<CircuitBreakerReportModel>('CircuitBreakerReport').implement({
  description:
    "One circuit breaker's behaviour over the slice. Transitions are sorted by time (late batches land in place); a transition whose `from` is not the state before it implies a missing one (see `inferred`), and the time in between stays with the last known state. Time after the last transition counts until the end of the slice's latest run (or filter.to).",
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The breaker, e.g. "worker:gpu-3".' }),
    worker: t.exposeString('worker', {
      nullable: true,
      description:
        'The worker a "worker:<name>" breaker guards; null for other breakers (then the fail rates are null too).',
    }),
    state: t.expose('state', { type: BreakerStateEnum, description: 'State after the last transition.' }),
    trips: t.exposeInt('trips', {
      description: 'Transitions into OPEN, re-trips from HALF_OPEN and inferred ones included.',
    }),
    recoveries: t.exposeInt('recoveries', { description: 'Transitions back into CLOSED.' }),
    timeOpenMs: t.exposeFloat('timeOpenMs', { description: 'Total time spent OPEN, ms.' }),
    timeHalfOpenMs: t.exposeFloat('timeHalfOpenMs', { description: 'Total time spent HALF_OPEN, ms.' }),
    meanRecoveryMs: t.exposeFloat('meanRecoveryMs', {
      nullable: true,
      description:
        'Mean time to recovery: from a trip out of CLOSED back to CLOSED, ms; null when it never recovered from a trip seen.',
    }),
    failureRateClosed: t.exposeFloat('failureRateClosed', {
      nullable: true,
      description:
        "Fail rate (0 … 1) of the slice's attempts on the worker started while the breaker was CLOSED; null without any.",
    }),
    failureRateAfterRecovery: t.exposeFloat('failureRateAfterRecovery', {
      nullable: true,
      description:
        "Fail rate (0 … 1) of the slice's attempts on the worker started within the hour after a recovery to CLOSED; null without any.",
    }),
    missingTransitions: t.exposeInt('missingTransitions', {
      description: 'Transitions inferred because an ingested one did not follow its predecessor.',
    }),
    transitions: t.field({
      type: [BreakerTransition],
      description: 'Oldest first, inferred ones included.',
      resolve: (b) => b.transitions,
    }),
  }),
});

builder.queryFields((t) => ({
  circuitBreakers: t.field({
    type: [CircuitBreakerReport],
    nullable: false,
    description: "Circuit breakers ingested with the slice's runs, most trips first.",
    args: { filter: t.arg({ type: ResultFilter }) },
    resolve: (_root, args, ctx) => breakerResolvers.circuitBreakers(ctx, args),
  }),
}));
