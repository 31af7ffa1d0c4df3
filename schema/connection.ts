import type { ObjectRef } from '@pothos/core';
import { builder, type Types } from './builder.ts';
import type { Page } from '../src/domain/types.ts';

const PageInfo = builder
  .objectRef<{
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  }>('PageInfo')
  .implement({
    description:
      'Relay page info. Cursors are keyset positions: rows added later never shift pages already read.',
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage', {
        description:
          'Whether rows follow this page: past its end with `first`, past `before` with `last` (false without `before`).',
      }),
      hasPreviousPage: t.exposeBoolean('hasPreviousPage', {
        description:
          'Whether rows precede this page: before its start with `last`, up to `after` with `first` (false without `after`).',
      }),
      startCursor: t.exposeString('startCursor', { nullable: true }),
      endCursor: t.exposeString('endCursor', { nullable: true }),
    }),
  });

/**
 * A connection's Relay arguments: `first`/`after` page forwards, `last`/`before` backwards
 * (both keyset, never offsets); `first` and `last` together are refused.
 */
export const connectionArgs = builder.args((t) => ({
  first: t.int({ description: 'Rows from the start of the window (default 50, at most 1000).' }),
  after: t.string({ description: 'Start after this cursor (an `endCursor` or edge `cursor`).' }),
  last: t.int({ description: 'Rows from the end of the window (at most 1000); not with `first`.' }),
  before: t.string({ description: 'End before this cursor (a `startCursor` or edge `cursor`).' }),
}));

/** A Relay connection type `<Name>Connection` with `<Name>Edge`, plus `totalCount`. */
export function connectionOf<T, N>(name: string, node: ObjectRef<Types, N>, toNode: (t: T) => N) {
  const Edge = builder.objectRef<{ cursor: string; node: T }>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      // Pothos cannot relate a generic N to its resolver result type; the ref guarantees it.
      node: t.field({ type: node, resolve: (e) => toNode(e.node) as never }),
    }),
  });
  return builder.objectRef<Page<T, number | null>>(`${name}Connection`).implement({
    fields: (t) => ({
      totalCount: t.int({
        description: 'Rows in the whole slice, not just this page (counted only when selected).',
        resolve: (p) => {
          // The resolver counts whenever the selection names totalCount (selectsField).
          if (p.totalCount === null) throw new Error('totalCount was selected but not counted');
          return p.totalCount;
        },
      }),
      pageInfo: t.field({
        type: PageInfo,
        resolve: (p) => ({
          hasNextPage: p.hasNextPage,
          hasPreviousPage: p.hasPreviousPage,
          startCursor: p.nodes[0]?.cursor ?? null,
          endCursor: p.nodes.at(-1)?.cursor ?? null,
        }),
      }),
      edges: t.field({ type: [Edge], resolve: (p) => p.nodes }),
    }),
  });
}
