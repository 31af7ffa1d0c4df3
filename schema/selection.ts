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
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((sel) => {
      if (sel.kind === Kind.FIELD) return sel.name.value === name;
      if (sel.kind === Kind.INLINE_FRAGMENT) return visit(sel.selectionSet);
      if (seen.has(sel.name.value)) return false;
      seen.add(sel.name.value);
      return visit(info.fragments[sel.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}
