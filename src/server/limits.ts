import {
  GraphQLError, Kind,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface OperationLimits {
  /** Deepest field nesting allowed. @default 12 */
  readonly maxDepth?: number;
  /** Aliased fields allowed in one operation. @default 30 */
  readonly maxAliases?: number;
  /**
   * Estimated fields resolved: each field costs 1 times the page sizes of
   * the lists around it (`first`, `last`, `limit`; 50 when not given).
   * @default 1_000_000
   */
  readonly maxCost?: number;
}

export interface OperationShape {
  readonly depth: number;
  readonly aliases: number;
  readonly cost: number;
}

const PAGE_ARGS = new Set(['first', 'last', 'limit']);
const DEFAULT_PAGE = 50;

function pageArg(field: FieldNode, variables: Readonly<Record<string, unknown>>): number | null {
  for (const arg of field.arguments ?? []) {
    if (!PAGE_ARGS.has(arg.name.value)) continue;
    const v: ValueNode = arg.value;
    if (v.kind === Kind.INT) return Number(v.value);
    if (v.kind === Kind.VARIABLE) {
      const x = variables[v.name.value];
      return typeof x === 'number' ? x : DEFAULT_PAGE;
    }
  }
  return null;
}

/**
 * Measures an operation before it runs: depth (fragments flattened), aliases,
 * and a list-aware cost, so a small query with `first: 1000` counts as large.
 */
export function analyseOperation(doc: DocumentNode, variables: Readonly<Record<string, unknown>> = {}, operationName?: string | null): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const d of doc.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind === Kind.OPERATION_DEFINITION) operations.push(d);
  }
  const op = operations.find((o) => !operationName || o.name?.value === operationName) ?? operations[0];
  let aliases = 0;
  let depth = 0;
  let cost = 0;
  const walk = (set: SelectionSetNode | undefined, level: number, multiplier: number, seen: ReadonlySet<string>): void => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet, level, multiplier, seen);
      else if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const name = sel.name.value;
        if (!seen.has(name)) walk(fragments.get(name)?.selectionSet, level, multiplier, new Set([...seen, name]));
      } else {
        if (sel.alias) aliases++;
        if (sel.name.value.startsWith('__')) continue;
        depth = Math.max(depth, level);
        cost += multiplier;
        const page = pageArg(sel, variables);
        walk(sel.selectionSet, level + 1, multiplier * (page ?? 1), seen);
      }
    }
  };
  walk(op?.selectionSet, 1, 1, new Set());
  return { depth, aliases, cost };
}

function refuse(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/**
 * A Yoga plugin that refuses operations over the limits, with a code and how to fix it.
 * It checks each execution, not validation: Yoga caches validation per document, and
 * the shape depends on the variables (page sizes) and operationName of each request.
 */
export function useOperationLimits({ maxDepth = 12, maxAliases = 30, maxCost = 1_000_000 }: OperationLimits = {}): Plugin {
  const check = (args: { document: DocumentNode; variableValues?: Readonly<Record<string, unknown>> | null | undefined; operationName?: string | null | undefined }): GraphQLError[] => {
    const shape = analyseOperation(args.document, args.variableValues ?? {}, args.operationName);
    const errors: GraphQLError[] = [];
    if (shape.depth > maxDepth) errors.push(refuse('QUERY_TOO_DEEP', `The operation nests ${shape.depth} levels deep; the limit is ${maxDepth}. Ask for fewer nested fields, or fetch nested objects in a second query.`));
    if (shape.aliases > maxAliases) errors.push(refuse('TOO_MANY_ALIASES', `The operation uses ${shape.aliases} aliases; the limit is ${maxAliases}. Split it into several operations.`));
    if (shape.cost > maxCost) errors.push(refuse('QUERY_TOO_COSTLY', `The operation could resolve about ${Math.round(shape.cost)} fields (page sizes multiply); the limit is ${maxCost}. Ask for smaller pages (first/limit) or fewer nested lists.`));
    return errors;
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
