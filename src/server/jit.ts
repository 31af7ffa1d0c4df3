import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST, OperationTypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Mutations run through graphql-jit's compiled executor (compiled once per document):
 * an `ingest` of 5,000 rows spends most of its JavaScript coercing its typed input,
 * which graphql-js walks value by value and the compiled code checks in straight-line
 * code. Queries and subscriptions stay on graphql-js: their time is DuckDB's and the
 * caches', and subscriptions are grouped and fanned out by ws-fanout.ts.
 * Variables reach the executor already checked by the limits plugin (limits.ts), so a
 * bad input is refused with graphql-js's own messages before the compiled code runs.
 */
export const useCompiledMutations = (): Plugin =>
  // Typed for envelop's empty context; it reads no context, so Yoga's wider one is safe.
  useGraphQlJit(
    {},
    {
      enableIf: ({ document, operationName }) =>
        getOperationAST(document, operationName)?.operation === OperationTypeNode.MUTATION,
    },
  ) as unknown as Plugin;
