import type { Alert, AlertStore } from '../src/domain/alerts.ts';
import { badInput } from '../src/domain/errors.ts';
import { asResultId, asRunId, asTestId } from '../src/domain/ids.ts';
import type { FeatureDeps } from '../src/domain/ports.ts';
import type { SliceStore } from '../src/domain/slices.ts';
import type { Result, Run, Test } from '../src/domain/types.ts';

/** The types a node id can name (the Relay `Node` interface's implementations). */
const NODE_TYPES = ['Run', 'Test', 'Result', 'Alert'] as const;
export type NodeType = (typeof NODE_TYPES)[number];
export type NodeValue = Run | Test | Result | Alert;

const isNodeType = (s: string): s is NodeType => (NODE_TYPES as readonly string[]).includes(s);

/** Which type a stored object is, by a field only that type has. */
export function nodeTypeOf(v: NodeValue): NodeType {
  if ('firedAt' in v) return 'Alert';
  if ('attempt' in v) return 'Result';
  if ('executions' in v) return 'Run';
  return 'Test';
}

/**
 * A node id: `<Type>:<id>` in base64url. Run ids are the CI's own strings and may look like
 * a test's hash or a result's number, so a bare id cannot name one object across types.
 */
export const toNodeId = (type: NodeType, id: string): string =>
  Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');

function fromNodeId(nodeId: string, field: string): { type: NodeType; id: string } {
  const text = Buffer.from(nodeId, 'base64url').toString('utf8');
  const at = text.indexOf(':');
  const type = text.slice(0, at);
  const id = text.slice(at + 1);
  // Only the exact text toNodeId gives is accepted (base64url decoding skips stray characters).
  if (at < 1 || !isNodeType(type) || toNodeId(type, id) !== nodeId) {
    throw badInput(
      `${field} is not a node id: pass a \`nodeId\` this server returned (on Run, Test, Result or Alert) unchanged; a run's or test's own \`id\` goes to \`run(id:)\` or \`test(id:)\``,
      { field },
    );
  }
  return { type, id };
}

type NodeDeps = FeatureDeps<Pick<SliceStore, 'resultsByIds'> & Pick<AlertStore, 'alert'>, 'loaders'>;

/**
 * The objects named by node ids, in the ids' order, null for each one no longer stored
 * (Relay's plural identifying root field). Runs and tests go through the request's loaders,
 * results in one query; alerts are few and read one by one.
 */
export function nodes(deps: NodeDeps, ids: readonly string[]): Promise<(NodeValue | null)[]> {
  return load(
    deps,
    ids.map((id, i) => fromNodeId(id, `ids[${i}]`)),
  );
}

/** The object a node id names, or null when it is no longer stored. */
export async function node(deps: NodeDeps, id: string): Promise<NodeValue | null> {
  const [found] = await load(deps, [fromNodeId(id, 'id')]);
  return found ?? null;
}

async function load(
  deps: NodeDeps,
  named: readonly { type: NodeType; id: string }[],
): Promise<(NodeValue | null)[]> {
  const resultIds = named.filter((n) => n.type === 'Result').map((n) => asResultId(n.id));
  const results = resultIds.length ? await deps.store.resultsByIds(resultIds) : new Map<string, Result>();
  return Promise.all(
    named.map(async ({ type, id }): Promise<NodeValue | null> => {
      switch (type) {
        case 'Run':
          return deps.loaders.run.load(asRunId(id));
        case 'Test':
          return deps.loaders.test.load(asTestId(id));
        case 'Result':
          return results.get(id) ?? null;
        case 'Alert':
          return deps.store.alert(id);
      }
    }),
  );
}
