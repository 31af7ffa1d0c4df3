import { builder } from './builder.ts';
import { connectionArgs, connectionOf } from './connection.ts';
import { RunFilter } from './inputs.ts';
import { Node } from './node.ts';
import { DateTime, JSONScalar } from './scalars.ts';
import { selectsField } from './selection.ts';
import * as slices from '../resolvers/slices.ts';
import type { Run as RunModel } from '../src/domain/types.ts';

export const Run = builder.objectRef<RunModel>('Run').implement({
  description: 'One CI build or test-farm job. Counts are executions (attempts folded).',
  interfaces: [Node],
  fields: (t) => ({
    id: t.exposeID('id'),
    project: t.exposeString('project'),
    branch: t.exposeString('branch', { nullable: true }),
    commit: t.exposeString('commit', { nullable: true }),
    startedAt: t.expose('startedAt', { type: DateTime }),
    finishedAt: t.expose('finishedAt', { type: DateTime, nullable: true }),
    tags: t.expose('tags', { type: JSONScalar }),
    executions: t.exposeInt('executions'),
    passed: t.exposeInt('passed', {
      description: 'Executions whose last attempt passed (flaky ones included).',
    }),
    failed: t.exposeInt('failed'),
    errored: t.exposeInt('errored'),
    flaky: t.exposeInt('flaky'),
    skipped: t.exposeInt('skipped'),
    passRate: t.float({
      nullable: true,
      description: 'passed / (executions − skipped); null when nothing ran.',
      resolve: (r) => (r.executions - r.skipped > 0 ? r.passed / (r.executions - r.skipped) : null),
    }),
    durationMs: t.exposeFloat('durationMs', {
      nullable: true,
      description:
        'finishedAt − startedAt, or until the last attempt ended when the run sent no finish time.',
    }),
  }),
});

const RunConnection = connectionOf('Run', Run, (r: RunModel) => r);

builder.queryFields((t) => ({
  runs: t.field({
    type: RunConnection,
    description: 'Runs, newest first.',
    args: { filter: t.arg({ type: RunFilter }), ...connectionArgs },
    resolve: (_root, args, ctx, info) => slices.runs(ctx, args, selectsField(info, 'totalCount')),
  }),
  run: t.field({
    type: Run,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => slices.run(ctx, id),
  }),
}));
