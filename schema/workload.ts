import { builder } from './builder.ts';
import { ResultFilter } from './inputs.ts';
import * as workloadResolvers from '../resolvers/workload.ts';
import type {
  HardwareWorkload as HardwareWorkloadModel,
  WorkerLoad as WorkerLoadModel,
  WorkloadReport as WorkloadReportModel,
} from '../src/domain/workload.ts';

const WorkerLoad = builder.objectRef<WorkerLoadModel>('WorkerLoad').implement({
  description: "One worker's share of the slice's work.",
  fields: (t) => ({
    worker: t.exposeString('worker'),
    executions: t.exposeInt('executions', { description: 'Attempts run on the worker.' }),
    busyMs: t.exposeFloat('busyMs', { description: 'Sum of attempt durations on the worker, ms.' }),
    share: t.exposeFloat('share', { description: "busyMs / all workers' busyMs, 0 … 1." }),
    failRate: t.exposeFloat('failRate', {
      nullable: true,
      description: 'Failed or errored attempts / attempts that ran, 0 … 1.',
    }),
  }),
});

const FAIRNESS_DOC = {
  jainIndex:
    "Jain's fairness index of busyMs, (Σx)² / (n·Σx²): 1/n (one worker does all) … 1 (perfectly even); k/n when k workers share evenly and the rest idle.",
  gini: 'Gini coefficient of busyMs (population form): 0 (even) … (n − 1)/n (one of n workers does all).',
  coefficientOfVariation:
    'Population standard deviation / mean of busyMs; 0 is even. jainIndex = 1 / (1 + coefficientOfVariation²).',
  maxToMeanRatio: 'Busiest worker busyMs / mean busyMs: 1 is even, n when one of n workers does all.',
} as const;

const HardwareWorkload = builder.objectRef<HardwareWorkloadModel>('HardwareWorkload').implement({
  description:
    "One hardware kind's part of the slice's work, and how evenly its workers share it. Fairness figures are null without workers.",
  fields: (t) => ({
    hardware: t.exposeString('hardware', {
      nullable: true,
      description: 'The hardware kind, e.g. "cuda"; null for attempts that name none.',
    }),
    executions: t.exposeInt('executions', { description: 'Attempts run on the kind.' }),
    busyMs: t.exposeFloat('busyMs', { description: 'Sum of attempt durations on the kind, ms.' }),
    share: t.exposeFloat('share', { description: "busyMs / all kinds' busyMs, 0 … 1." }),
    failRate: t.exposeFloat('failRate', {
      nullable: true,
      description: 'Failed or errored attempts / attempts that ran, 0 … 1.',
    }),
    workers: t.field({
      type: [WorkerLoad],
      description: "The kind's workers, busiest first; their share is within the kind.",
      resolve: (h) => h.workers,
    }),
    jainIndex: t.exposeFloat('jainIndex', { nullable: true, description: FAIRNESS_DOC.jainIndex }),
    gini: t.exposeFloat('gini', { nullable: true, description: FAIRNESS_DOC.gini }),
    coefficientOfVariation: t.exposeFloat('coefficientOfVariation', {
      nullable: true,
      description: FAIRNESS_DOC.coefficientOfVariation,
    }),
    maxToMeanRatio: t.exposeFloat('maxToMeanRatio', {
      nullable: true,
      description: FAIRNESS_DOC.maxToMeanRatio,
    }),
  }),
});

const WorkloadReport = builder.objectRef<WorkloadReportModel>('WorkloadReport').implement({
  description:
    'How evenly busy time (sum of attempt durations) is spread over workers. Attempts that name no worker are left out. Fairness figures are null without workers.',
  fields: (t) => ({
    workers: t.field({ type: [WorkerLoad], description: 'Busiest first.', resolve: (w) => w.workers }),
    hardware: t.field({
      type: [HardwareWorkload],
      description:
        'The same figures within each hardware kind (pools are balanced apart), busiest kind first.',
      resolve: (w) => w.hardware,
    }),
    jainIndex: t.exposeFloat('jainIndex', { nullable: true, description: FAIRNESS_DOC.jainIndex }),
    gini: t.exposeFloat('gini', { nullable: true, description: FAIRNESS_DOC.gini }),
    coefficientOfVariation: t.exposeFloat('coefficientOfVariation', {
      nullable: true,
      description: FAIRNESS_DOC.coefficientOfVariation,
    }),
    maxToMeanRatio: t.exposeFloat('maxToMeanRatio', {
      nullable: true,
      description: FAIRNESS_DOC.maxToMeanRatio,
    }),
  }),
});

builder.queryFields((t) => ({
  workload: t.field({
    type: WorkloadReport,
    nullable: false,
    description: "How the slice's work is spread over workers.",
    args: { filter: t.arg({ type: ResultFilter }) },
    resolve: (_root, args, ctx) => workloadResolvers.workload(ctx, args),
  }),
}));
