import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { variableCoercer } from './coerce-variables.ts';
import { analyseOperation, type OperationShape } from './operation-shape.ts';

export { analyseOperation };

export interface OperationLimits {
  /** Deepest field nesting allowed. @default 12 */
  readonly maxDepth?: number;
  /** Deepest nesting under `__schema`/`__type`; GraphiQL's introspection query needs 15. @default 20 */
  readonly maxIntrospectionDepth?: number;
  /** Aliased fields allowed in one operation. @default 30 */
  readonly maxAliases?: number;
  /**
   * Estimated fields resolved: each field costs 1 plus its argument lists' items, times
   * the page sizes of the lists around it (`first`, `last`, `limit`; 50 when not given).
   * @default 1_000_000
   */
  readonly maxCost?: number;
  /** Values in one list argument or filter field (`filter.testName`, `groupByTags`). @default 1_000 */
  readonly maxListLength?: number;
  /** Values in all the argument and filter lists of one operation together. @default 5_000 */
  readonly maxListValues?: number;
  /** Tokens in one GraphQL document (graphql-js `maxTokens`; parser-limits.ts). @default 10_000 */
  readonly maxTokens?: number;
  /** Nesting of braces, brackets and parentheses in one document, checked before parsing. @default 64 */
  readonly maxNesting?: number;
}

function refuse(code: string, message: string, extra: Readonly<Record<string, unknown>> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extra, code, http: { status: 400 } } });
}

interface Args {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly variableValues?: Readonly<Record<string, unknown>> | null | undefined;
  readonly operationName?: string | null | undefined;
}

function operationOf(
  doc: DocumentNode,
  name: string | null | undefined,
): OperationDefinitionNode | undefined {
  const ops = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return ops.find((o) => !name || o.name?.value === name) ?? ops[0];
}

/** Every limit, defaults applied. */
type Limits = Required<Omit<OperationLimits, 'maxTokens' | 'maxNesting'>>;

/** Variables that do not coerce, as BAD_USER_INPUT naming where the value sits. */
function coercionErrors(errors: readonly GraphQLError[]): GraphQLError[] {
  // graphql-js names where the value sits (`at "input.results[1].durationMs"`); clients get it as `field`.
  return errors.map((e) => {
    const at = /\bat "([^"]+)"/.exec(e.message)?.[1];
    return new GraphQLError(e.message, {
      nodes: e.nodes ?? null,
      extensions: { ...e.extensions, code: 'BAD_USER_INPUT', ...(at && { field: at }) },
    });
  });
}

/** The list limits: one list over its cap, else all lists together over theirs. */
function listErrors(shape: OperationShape, l: Limits): GraphQLError[] {
  const long = shape.lists.find((x) => x.length > l.maxListLength);
  if (long) {
    return [
      refuse(
        'BAD_USER_INPUT',
        `${long.field} has ${long.length} values; a list argument or filter field takes at most ${l.maxListLength}. Narrow the filter (a project, suite or time range) or split the query.`,
        { field: long.field, limit: l.maxListLength },
      ),
    ];
  }
  const values = shape.lists.reduce((n, x) => n + x.length, 0);
  if (values <= l.maxListValues) return [];
  return [
    refuse(
      'BAD_USER_INPUT',
      `The operation's list arguments and filters hold ${values} values together; the limit is ${l.maxListValues}. Split the query.`,
      { limit: l.maxListValues },
    ),
  ];
}

/** What an operation of this shape breaks, each with a code and how to fix it. */
function shapeErrors(shape: OperationShape, l: Limits): GraphQLError[] {
  const errors: GraphQLError[] = [];
  if (shape.depth > l.maxDepth)
    errors.push(
      refuse(
        'QUERY_TOO_DEEP',
        `The operation nests ${shape.depth} levels deep; the limit is ${l.maxDepth}. Ask for fewer nested fields, or fetch nested objects in a second query.`,
      ),
    );
  if (shape.introspectionDepth > l.maxIntrospectionDepth)
    errors.push(
      refuse(
        'QUERY_TOO_DEEP',
        `The operation's introspection nests ${shape.introspectionDepth} levels deep; the limit is ${l.maxIntrospectionDepth}. Nest fewer ofType levels.`,
      ),
    );
  if (shape.aliases > l.maxAliases)
    errors.push(
      refuse(
        'TOO_MANY_ALIASES',
        `The operation uses ${shape.aliases} aliases; the limit is ${l.maxAliases}. Split it into several operations.`,
      ),
    );
  errors.push(...listErrors(shape, l));
  if (shape.cost > l.maxCost)
    errors.push(
      refuse(
        'QUERY_TOO_COSTLY',
        `The operation could resolve about ${Math.round(shape.cost)} fields (page sizes multiply); the limit is ${l.maxCost}. Ask for smaller pages (first/last/limit) or fewer nested lists.`,
      ),
    );
  return errors;
}

/**
 * A Yoga plugin that refuses operations over the limits, with a code and how to fix it.
 * It checks each execution, not validation: Yoga caches validation per document, and
 * the shape depends on the variables (page sizes, lists) and operationName of each request.
 * Variables are coerced first, as execution will coerce them (defaults included), so a
 * default cannot hide a page size; a variable that does not coerce is BAD_USER_INPUT.
 */
export function useOperationLimits({
  maxDepth = 12,
  maxIntrospectionDepth = 20,
  maxAliases = 30,
  maxCost = 1_000_000,
  maxListLength = 1_000,
  maxListValues = 5_000,
}: OperationLimits = {}): Plugin {
  const limits: Limits = {
    maxDepth,
    maxIntrospectionDepth,
    maxAliases,
    maxCost,
    maxListLength,
    maxListValues,
  };
  const coerce = variableCoercer();
  const check = (args: Args): GraphQLError[] => {
    const op = operationOf(args.document, args.operationName);
    if (!op) return []; // execution reports the missing operation
    const coerced = coerce(args.schema, op, args.variableValues ?? {});
    if ('errors' in coerced) return coercionErrors(coerced.errors);
    return shapeErrors(
      analyseOperation(args.document, coerced.coerced, args.operationName, args.schema),
      limits,
    );
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = check(args);
      if (errors.length) setResultAndStopExecution({ errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = check(args);
      if (errors.length) setResultAndStopExecution({ errors });
    },
  };
}
