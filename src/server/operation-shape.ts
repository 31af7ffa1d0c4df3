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
  type GraphQLInputObjectType,
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
    const item = getNamedType(inner);
    // An ingest batch's 50,000 rows hold no filter: their walk is skipped.
    if (isInputObjectType(item) && canHoldCountedList(item))
      value.forEach((v, i) => argumentLists(v, inner, `${path}[${i}]`, false, out));
    return;
  }
  if (!isInputObjectType(t) || typeof value !== 'object' || !canHoldCountedList(t)) return;
  const isFilter = t.name.endsWith('Filter');
  for (const [name, f] of Object.entries(t.getFields())) {
    argumentLists((value as Record<string, unknown>)[name], f.type, `${path}.${name}`, isFilter, out);
  }
}

/** Whether a value of this input object type can hold a list that argumentLists counts (a `…Filter`'s list). */
const holdsCounted = new WeakMap<GraphQLInputObjectType, boolean>();
function canHoldCountedList(t: GraphQLInputObjectType): boolean {
  let holds = holdsCounted.get(t);
  if (holds === undefined) {
    holds = reachesCountedList(t, new Set());
    holdsCounted.set(t, holds);
  }
  return holds;
}

function reachesCountedList(t: GraphQLInputObjectType, seen: Set<GraphQLInputObjectType>): boolean {
  if (seen.has(t)) return false;
  seen.add(t);
  return Object.values(t.getFields()).some((f) => {
    const inner = getNamedType(f.type);
    return (
      (t.name.endsWith('Filter') && isListType(getNullableType(f.type))) ||
      (isInputObjectType(inner) && reachesCountedList(inner, seen))
    );
  });
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
  const sizes: number[] = [];
  let paged = false;
  const lists: ArgumentList[] = [];
  for (const arg of def.args) {
    const v = values[arg.name];
    if (!PAGE_ARGS.has(arg.name)) argumentLists(v, arg.type, arg.name, true, lists);
    else {
      paged = true;
      if (typeof v === 'number') sizes.push(v);
    }
  }
  return { page: pageOf(paged, sizes), lists };
}

/**
 * The rows a paged field may return: its largest size argument (`last` counts as `first`
 * does; both together are refused at execution, and measured at the larger until then),
 * DEFAULT_PAGE when it is paged but given none, null when it is not paged.
 */
const pageOf = (paged: boolean, sizes: readonly number[]): number | null =>
  sizes.length ? Math.max(...sizes) : paged ? DEFAULT_PAGE : null;

/** Without a schema: page sizes from literals, variables, or the variable's default. */
function astArgs(
  node: FieldNode,
  variables: Readonly<Record<string, unknown>>,
  defaults: ReadonlyMap<string, unknown>,
): FieldArgs {
  const sizes: number[] = [];
  for (const arg of node.arguments ?? []) {
    if (!PAGE_ARGS.has(arg.name.value)) continue;
    const v: ValueNode = arg.value;
    if (v.kind === Kind.INT) sizes.push(Number(v.value));
    if (v.kind === Kind.VARIABLE) {
      const x = v.name.value in variables ? variables[v.name.value] : defaults.get(v.name.value);
      sizes.push(typeof x === 'number' ? x : DEFAULT_PAGE);
    }
  }
  return { page: pageOf(sizes.length > 0, sizes), lists: [] };
}

function fieldsOf(
  type: GraphQLNamedType | undefined | null,
): Record<string, GraphQLField<unknown, unknown>> | null {
  return type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields() : null;
}

/** Where the walk is: the parent type, nesting level, page multiplier, fragments on the path. */
interface At {
  readonly parent: GraphQLNamedType | null | undefined;
  readonly level: number;
  readonly multiplier: number;
  readonly seen: ReadonlySet<string>;
  readonly introspecting: boolean;
}

/** Walks an operation's selections once, adding up what analyseOperation reports. */
class ShapeWalk {
  aliases = 0;
  depth = 0;
  introspectionDepth = 0;
  cost = 0;
  readonly lists: ArgumentList[] = [];

  constructor(
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly variables: Readonly<Record<string, unknown>>,
    private readonly defaults: ReadonlyMap<string, unknown>,
    private readonly schema: GraphQLSchema | undefined,
    private readonly rootType: GraphQLNamedType | null,
  ) {}

  walk(set: SelectionSetNode | undefined, at: At): void {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const parent = sel.typeCondition ? this.schema?.getType(sel.typeCondition.name.value) : at.parent;
        this.walk(sel.selectionSet, { ...at, parent });
      } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const name = sel.name.value;
        const frag = this.fragments.get(name);
        if (frag && !at.seen.has(name)) {
          const parent = this.schema?.getType(frag.typeCondition.name.value);
          this.walk(frag.selectionSet, { ...at, parent, seen: new Set([...at.seen, name]) });
        }
      } else this.field(sel, at);
    }
  }

  private definition(parent: At['parent'], name: string): GraphQLField<unknown, unknown> | undefined {
    if (!this.schema) return undefined;
    if (parent === this.rootType && name === '__schema') return SchemaMetaFieldDef;
    if (parent === this.rootType && name === '__type') return TypeMetaFieldDef;
    return fieldsOf(parent)?.[name];
  }

  private field(sel: FieldNode, at: At): void {
    if (sel.alias) this.aliases++;
    const name = sel.name.value;
    const inside = at.introspecting || name === '__schema' || name === '__type';
    if (inside) this.introspectionDepth = Math.max(this.introspectionDepth, at.level);
    else this.depth = Math.max(this.depth, at.level);
    if (name === '__typename') return;
    const def = this.definition(at.parent, name);
    const args = def ? schemaArgs(def, sel, this.variables) : astArgs(sel, this.variables, this.defaults);
    const items = args.lists.reduce((n, l) => n + l.length, 0);
    this.cost += at.multiplier * (1 + items);
    for (const l of args.lists) this.lists.push({ field: `${name}.${l.field}`, length: l.length });
    this.walk(sel.selectionSet, {
      parent: def ? getNamedType(def.type) : null,
      level: at.level + 1,
      multiplier: at.multiplier * (args.page ?? 1),
      seen: at.seen,
      introspecting: inside,
    });
  }
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
  const w = new ShapeWalk(fragments, variables, defaults, schema, rootType ?? null);
  w.walk(op?.selectionSet, {
    parent: rootType,
    level: 1,
    multiplier: 1,
    seen: new Set(),
    introspecting: false,
  });
  const { depth, introspectionDepth, aliases, cost, lists } = w;
  return { depth, introspectionDepth, aliases, cost, lists };
}
