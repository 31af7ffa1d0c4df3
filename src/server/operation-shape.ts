import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';

/** A list given to an argument, and where: `filter.testName`, `groupByTags`, `filter.tags[0].values`. */
interface ArgumentList {
  readonly field: string;
  readonly length: number;
}

export interface OperationShape {
  /** Deepest nesting of the schema's own fields. */
  readonly depth: number;
  /** Deepest nesting under `__schema` or `__type` (an introspection query's type references nest deeper). */
  readonly introspectionDepth: number;
  readonly aliases: number;
  readonly cost: number;
  /** The capped lists (see `argumentLists`), with the root field's name first in `field`. */
  readonly lists: readonly ArgumentList[];
}

const PAGE_ARGS = new Set(['first', 'last', 'limit']);
/** The page a connection serves when the query gives no size. */
const DEFAULT_PAGE = 50;

/**
 * The lists a request may size: every list argument given directly to a field, and every
 * list field of a filter input (`…Filter`), at any nesting. Data lists elsewhere (an
 * ingest batch's results) have their own limits.
 */
function argumentLists(
  value: unknown,
  type: GraphQLInputType,
  path: string,
  direct: boolean,
  out: ArgumentList[],
): void {
  if (value === null || value === undefined) return;
  const t = getNullableType(type);
  if (isListType(t)) {
    if (!Array.isArray(value)) return;
    if (direct) out.push({ field: path, length: value.length });
    const inner = t.ofType;
    if (isInputObjectType(getNamedType(inner)))
      value.forEach((v, i) => argumentLists(v, inner, `${path}[${i}]`, false, out));
    return;
  }
  if (!isInputObjectType(t) || typeof value !== 'object') return;
  const isFilter = t.name.endsWith('Filter');
  for (const [name, f] of Object.entries(t.getFields())) {
    argumentLists((value as Record<string, unknown>)[name], f.type, `${path}.${name}`, isFilter, out);
  }
}

interface FieldArgs {
  readonly page: number | null;
  readonly lists: ArgumentList[];
}

/** Page size and argument lists from the field's coerced arguments (defaults and variables applied). */
function schemaArgs(
  def: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Readonly<Record<string, unknown>>,
): FieldArgs {
  let values: Record<string, unknown>;
  try {
    values = getArgumentValues(def, node, variables);
  } catch {
    return { page: null, lists: [] }; // execution reports the bad argument itself
  }
  let page: number | null = null;
  const lists: ArgumentList[] = [];
  for (const arg of def.args) {
    const v = values[arg.name];
    if (PAGE_ARGS.has(arg.name)) page = typeof v === 'number' ? v : (page ?? DEFAULT_PAGE);
    else argumentLists(v, arg.type, arg.name, true, lists);
  }
  return { page, lists };
}

/** Without a schema: page sizes from literals, variables, or the variable's default. */
function astArgs(
  node: FieldNode,
  variables: Readonly<Record<string, unknown>>,
  defaults: ReadonlyMap<string, unknown>,
): FieldArgs {
  for (const arg of node.arguments ?? []) {
    if (!PAGE_ARGS.has(arg.name.value)) continue;
    const v: ValueNode = arg.value;
    if (v.kind === Kind.INT) return { page: Number(v.value), lists: [] };
    if (v.kind === Kind.VARIABLE) {
      const x = v.name.value in variables ? variables[v.name.value] : defaults.get(v.name.value);
      return { page: typeof x === 'number' ? x : DEFAULT_PAGE, lists: [] };
    }
  }
  return { page: null, lists: [] };
}

function fieldsOf(
  type: GraphQLNamedType | undefined | null,
): Record<string, GraphQLField<unknown, unknown>> | null {
  return type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields() : null;
}

/**
 * Measures an operation before it runs: depth (fragments flattened; introspection
 * counted apart), aliases, a list-aware cost, and the lists its arguments carry.
 * Each field costs 1 plus the items of its argument lists, times the page sizes of
 * the lists around it (`first`, `last`, `limit`; 50 when a paged field gets none), so
 * a small query with `first: 1000` counts as large. With the schema, arguments are
 * read as execution will read them (`variables` coerced, defaults applied); without
 * it, from the text and the variables' defaults.
 */
export function analyseOperation(
  doc: DocumentNode,
  variables: Readonly<Record<string, unknown>> = {},
  operationName?: string | null,
  schema?: GraphQLSchema,
): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const d of doc.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind === Kind.OPERATION_DEFINITION) operations.push(d);
  }
  const op = operations.find((o) => !operationName || o.name?.value === operationName) ?? operations[0];
  const defaults = new Map<string, unknown>();
  for (const v of op?.variableDefinitions ?? [])
    if (v.defaultValue) defaults.set(v.variable.name.value, valueFromASTUntyped(v.defaultValue));
  const rootType = schema && op ? schema.getRootType(op.operation) : null;
  let aliases = 0;
  let depth = 0;
  let introspectionDepth = 0;
  let cost = 0;
  const lists: ArgumentList[] = [];
  const walk = (
    set: SelectionSetNode | undefined,
    parent: GraphQLNamedType | null | undefined,
    level: number,
    multiplier: number,
    seen: ReadonlySet<string>,
    introspecting: boolean,
  ): void => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(
          sel.selectionSet,
          sel.typeCondition ? schema?.getType(sel.typeCondition.name.value) : parent,
          level,
          multiplier,
          seen,
          introspecting,
        );
      } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const name = sel.name.value;
        const frag = fragments.get(name);
        if (frag && !seen.has(name))
          walk(
            frag.selectionSet,
            schema?.getType(frag.typeCondition.name.value),
            level,
            multiplier,
            new Set([...seen, name]),
            introspecting,
          );
      } else {
        if (sel.alias) aliases++;
        const name = sel.name.value;
        const inside = introspecting || name === '__schema' || name === '__type';
        if (inside) introspectionDepth = Math.max(introspectionDepth, level);
        else depth = Math.max(depth, level);
        if (name === '__typename') continue;
        const def = !schema
          ? undefined
          : parent === rootType && name === '__schema'
            ? SchemaMetaFieldDef
            : parent === rootType && name === '__type'
              ? TypeMetaFieldDef
              : fieldsOf(parent)?.[name];
        const args = def ? schemaArgs(def, sel, variables) : astArgs(sel, variables, defaults);
        const items = args.lists.reduce((n, l) => n + l.length, 0);
        cost += multiplier * (1 + items);
        for (const l of args.lists) lists.push({ field: `${name}.${l.field}`, length: l.length });
        walk(
          sel.selectionSet,
          def ? getNamedType(def.type) : null,
          level + 1,
          multiplier * (args.page ?? 1),
          seen,
          inside,
        );
      }
    }
  };
  walk(op?.selectionSet, rootType, 1, 1, new Set(), false);
  return { depth, introspectionDepth, aliases, cost, lists };
}
