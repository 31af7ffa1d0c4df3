import type { GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { createRequire } from 'node:module';
import type * as Jit from 'graphql-jit/dist/variables.js';

// Not exported by graphql-jit's entry point, and its ESM build of this file does not load:
// the CommonJS one does, over the same graphql instance as graphql-jit's executor.
const { compileVariableParsing, failToParseVariables } = createRequire(import.meta.url)(
  'graphql-jit/dist/variables.js',
) as typeof Jit;

type Coerced = { readonly coerced: Record<string, unknown> } | { readonly errors: readonly GraphQLError[] };
type Parser = ReturnType<typeof compileVariableParsing>;

/**
 * Coerces an operation's variables as execution will (defaults applied), through
 * graphql-jit's parser compiled once per operation: an ingest batch of 5,000 typed
 * rows is checked in straight-line code instead of graphql-js's value-by-value walk.
 * A value the compiled parser refuses is coerced again by graphql-js, so a bad input
 * is answered with graphql-js's messages (which name where the value sits).
 */
export function variableCoercer(): (
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
) => Coerced {
  const parsers = new WeakMap<OperationDefinitionNode, Parser | null>();
  const parserOf = (schema: GraphQLSchema, op: OperationDefinitionNode): Parser | null => {
    let parser = parsers.get(op);
    if (parser === undefined) {
      try {
        parser = compileVariableParsing(schema, op.variableDefinitions ?? []);
      } catch {
        parser = null; // graphql-js reports what the compiler could not take
      }
      parsers.set(op, parser);
    }
    return parser;
  };
  return (schema, op, variables) => {
    const parsed = parserOf(schema, op)?.(variables);
    if (parsed && !failToParseVariables(parsed)) return { coerced: parsed.coerced };
    const slow = getVariableValues(schema, op.variableDefinitions ?? [], variables, { maxErrors: 10 });
    return slow.errors ? { errors: slow.errors } : { coerced: slow.coerced };
  };
}
