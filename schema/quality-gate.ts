import { builder } from './builder.ts';
import { ResultFilter } from './inputs.ts';
import { qualityGate } from '../resolvers/quality-gate.ts';
import type {
  QualityCheck as QualityCheckModel,
  QualityGateResult as QualityGateResultModel,
} from '../src/domain/gate.ts';

const QualityGateInput = builder.inputType('QualityGateInput', {
  description: 'Thresholds the slice must meet; only the ones given are checked.',
  fields: (t) => ({
    minPassRate: t.float({ description: 'Lowest acceptable pass rate, 0 … 1.' }),
    maxNewFailures: t.int({
      description: 'Most tests allowed to fail in the slice that passed on baseBranch.',
    }),
    maxFlakyRate: t.float({ description: 'Highest acceptable flaky rate, 0 … 1.' }),
    baseBranch: t.string({
      description: 'The branch new failures and duration regressions are measured against, e.g. "main".',
    }),
    maxDurationRegressionPct: t.float({
      description: 'Largest acceptable rise of total duration over baseBranch, in percent (10 = 10 %).',
    }),
  }),
});

const QualityCheck = builder.objectRef<QualityCheckModel>('QualityCheck').implement({
  description: 'One threshold of a quality gate.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The input field checked, e.g. "minPassRate".' }),
    passed: t.exposeBoolean('passed'),
    actual: t.exposeFloat('actual', {
      nullable: true,
      description: "The slice's value, in the threshold's unit; null when the slice has no data for it.",
    }),
    threshold: t.exposeFloat('threshold'),
    message: t.exposeString('message', {
      description: 'A sentence saying what was measured and how it compares.',
    }),
  }),
});

export const QualityGateResult = builder.objectRef<QualityGateResultModel>('QualityGateResult').implement({
  description: 'A verdict for CI: passed only when every check passed.',
  fields: (t) => ({
    passed: t.exposeBoolean('passed'),
    checks: t.field({ type: [QualityCheck], resolve: (g) => g.checks }),
  }),
});

builder.queryFields((t) => ({
  qualityGate: t.field({
    type: QualityGateResult,
    nullable: false,
    description: 'Checks a slice (e.g. one commit on a branch) against thresholds, for CI.',
    args: { filter: t.arg({ type: ResultFilter }), gate: t.arg({ type: QualityGateInput, required: true }) },
    resolve: (_r, { filter, gate }, ctx) => qualityGate(ctx, filter, gate),
  }),
}));
