import { builder } from './builder.ts';
import * as nodeResolvers from '../resolvers/node.ts';
import type { NodeValue } from '../resolvers/node.ts';

/**
 * Relay's object identification, on a field of its own: `id` stays each type's own id
 * (a run's CI id, a test's hash), which clients filter by; `nodeId` is unique across types.
 * Relay clients set `nodeInterfaceIdField: "nodeId"` (see README, GraphQL).
 */
export const Node = builder.interfaceRef<NodeValue>('Node').implement({
  description:
    'An object refetchable by `node(id:)`. Its `nodeId` is unique across types; `id` stays the type\'s own id. Relay: set `nodeInterfaceIdField: "nodeId"`.',
  resolveType: (v) => nodeResolvers.nodeTypeOf(v),
  fields: (t) => ({
    nodeId: t.id({
      description: 'Unique across types; pass it to `node(id:)`. Not the same value as `id`.',
      resolve: (v) => nodeResolvers.toNodeId(nodeResolvers.nodeTypeOf(v), v.id),
    }),
  }),
});

builder.queryFields((t) => ({
  node: t.field({
    type: Node,
    nullable: true,
    description: 'The object with this `nodeId`, or null when it is no longer stored.',
    args: { id: t.arg.id({ required: true, description: 'A `nodeId`, unchanged.' }) },
    resolve: (_root, { id }, ctx) => nodeResolvers.node(ctx, id),
  }),
  nodes: t.field({
    type: [Node],
    nullable: { list: false, items: true },
    description: 'The objects with these `nodeId`s, in order; null for each one no longer stored.',
    args: { ids: t.arg.idList({ required: true, description: '`nodeId`s, unchanged.' }) },
    resolve: (_root, { ids }, ctx) => nodeResolvers.nodes(ctx, ids),
  }),
}));
