import type { ObjectRef } from '@pothos/core';
import { builder, type Types } from './builder.ts';
import type { Page } from '../src/domain/types.ts';

const PageInfo = builder
  .objectRef<{ hasNextPage: boolean; startCursor: string | null; endCursor: string | null }>('PageInfo')
  .implement({
    description:
      'Relay page info. Cursors are keyset positions: rows added later never shift pages already read.',
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage'),
      hasPreviousPage: t.boolean({ resolve: () => false }),
      startCursor: t.exposeString('startCursor', { nullable: true }),
      endCursor: t.exposeString('endCursor', { nullable: true }),
    }),
  });

/** A Relay connection type `<Name>Connection` with `<Name>Edge`, plus `totalCount`. */
export function connectionOf<T, N>(name: string, node: ObjectRef<Types, N>, toNode: (t: T) => N) {
  const Edge = builder.objectRef<{ cursor: string; node: T }>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      // Pothos cannot relate a generic N to its resolver result type; the ref guarantees it.
      node: t.field({ type: node, resolve: (e) => toNode(e.node) as never }),
    }),
  });
  return builder.objectRef<Page<T>>(`${name}Connection`).implement({
    fields: (t) => ({
      totalCount: t.exposeInt('totalCount', { description: 'Rows in the whole slice, not just this page.' }),
      pageInfo: t.field({
        type: PageInfo,
        resolve: (p) => ({
          hasNextPage: p.hasNextPage,
          startCursor: p.nodes[0]?.cursor ?? null,
          endCursor: p.nodes.at(-1)?.cursor ?? null,
        }),
      }),
      edges: t.field({ type: [Edge], resolve: (p) => p.nodes }),
    }),
  });
}
