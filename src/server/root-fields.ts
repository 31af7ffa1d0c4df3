import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface RootFieldLimits {
  /**
   * Root fields one operation may select, aliases and fragments counted. Each root field is a
   * whole analysis (a scan, a model fit, a report), so aliasing one thirty times would make one
   * request do thirty requests' work past the rate limit. `__typename` is free. @default 10
   */
  readonly maxRootFields?: number;
}

/** The root fields an operation selects, through fragments and inline fragments; `__typename` excluded. */
export function countRootFields(document: DocumentNode, operationName?: string | null): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const ops: OperationDefinitionNode[] = [];
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind === Kind.OPERATION_DEFINITION) ops.push(d);
  }
  const op = ops.find((o) => !operationName || o.name?.value === operationName) ?? ops[0];
  const seen = new Set<string>();
  const count = (set: SelectionSetNode): number => {
    let n = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) n += s.name.value === '__typename' ? 0 : 1;
      else if (s.kind === Kind.INLINE_FRAGMENT) n += count(s.selectionSet);
      else {
        const f = fragments.get(s.name.value);
        // Validation has refused fragment cycles already; a name seen twice is spread twice.
        if (f && !seen.has(f.name.value)) {
          seen.add(f.name.value);
          n += count(f.selectionSet);
          seen.delete(f.name.value);
        }
      }
    }
    return n;
  };
  return op ? count(op.selectionSet) : 0;
}

/** A Yoga plugin that refuses an operation selecting more than `maxRootFields` root fields (QUERY_TOO_COSTLY). */
export function useRootFieldLimit({ maxRootFields = 10 }: RootFieldLimits = {}): Plugin {
  const check = (args: {
    readonly document: DocumentNode;
    readonly operationName?: string | null | undefined;
  }): GraphQLError[] => {
    const n = countRootFields(args.document, args.operationName);
    if (n <= maxRootFields) return [];
    return [
      new GraphQLError(
        `The operation selects ${n} root fields; the limit is ${maxRootFields}, since each runs its own analysis. Split it into several operations.`,
        { extensions: { code: 'QUERY_TOO_COSTLY', limit: maxRootFields, http: { status: 400 } } },
      ),
    ];
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
