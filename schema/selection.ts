import {
  Kind,
  getArgumentValues,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import {
  COUNT_MEASURES,
  measureKey,
  type CountMeasure,
  type Measure,
  type Stat,
} from '../src/domain/types.ts';

/**
 * The measures a `metrics` query selects on MetricRow, including those inside
 * fragments and behind aliases, with arguments resolved from variables: only
 * these are computed in SQL.
 */
export function selectedMeasures(info: GraphQLResolveInfo): Measure[] {
  const rowType = info.schema.getType('MetricRow') as GraphQLObjectType;
  const fields = rowType.getFields();
  const out = new Map<string, Measure>();

  const visit = (set: SelectionSetNode | undefined): void => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.INLINE_FRAGMENT) visit(sel.selectionSet);
      else if (sel.kind === Kind.FRAGMENT_SPREAD) visit(info.fragments[sel.name.value]?.selectionSet);
      else {
        const name = sel.name.value;
        let m: Measure | null = null;
        if ((COUNT_MEASURES as readonly string[]).includes(name))
          m = { kind: 'count', name: name as CountMeasure };
        else if (name === 'duration' || name === 'metric') {
          const args = getArgumentValues(fields[name]!, sel, info.variableValues) as {
            stat: Stat;
            name?: string;
          };
          m =
            name === 'duration'
              ? { kind: 'duration', stat: args.stat }
              : { kind: 'metric', name: args.name ?? '', stat: args.stat };
        }
        if (m) out.set(measureKey(m), m);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return [...out.values()];
}

/** Whether the field's own selection (fragments and aliases included) asks for `name`. */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  return selectsPath(info, [name]);
}

/**
 * Whether the field's selection asks for the nested field `path` (`['edges', 'node', 'stats',
 * 'lastStatus']`), through fragments and aliases at every level. A step given as a list is any of
 * its names (`['edges', 'node', 'stats', ['lastStatus', 'lastRunAt']]`).
 */
export function selectsPath(
  info: GraphQLResolveInfo,
  path: readonly (string | readonly string[])[],
): boolean {
  const matches = (name: string, step: string | readonly string[] | undefined): boolean =>
    typeof step === 'string' ? name === step : (step?.includes(name) ?? false);
  const visit = (set: SelectionSetNode | undefined, depth: number, spread: ReadonlySet<string>): boolean =>
    (set?.selections ?? []).some((sel) => {
      if (sel.kind === Kind.FIELD)
        return (
          matches(sel.name.value, path[depth]) &&
          (depth === path.length - 1 || visit(sel.selectionSet, depth + 1, new Set()))
        );
      if (sel.kind === Kind.INLINE_FRAGMENT) return visit(sel.selectionSet, depth, spread);
      // A fragment spread within itself at the same level (validation refuses it; never loop).
      if (spread.has(sel.name.value)) return false;
      return visit(info.fragments[sel.name.value]?.selectionSet, depth, new Set([...spread, sel.name.value]));
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet, 0, new Set()));
}
