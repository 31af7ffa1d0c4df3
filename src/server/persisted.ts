import { createHash } from 'node:crypto';
import {
  GraphQLError,
  Kind,
  parse,
  print,
  visit,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';

/** One trusted document: an operation with the fragments it uses, as Apollo's persisted query manifest lists it. */
interface TrustedOperation {
  readonly id: string;
  readonly name: string;
  readonly type: 'query' | 'mutation' | 'subscription';
  readonly body: string;
}

/** Apollo's persisted query manifest (format "apollo-persisted-query-manifest", version 1). */
export interface TrustedManifest {
  readonly format: 'apollo-persisted-query-manifest';
  readonly version: 1;
  readonly operations: readonly TrustedOperation[];
}

export interface PersistedQueryOptions {
  /** Automatic persisted queries remembered (by sha256) at most. @default 1000 */
  readonly maxEntries?: number;
  /** When given, only these documents run: by id, or sent whole with a body whose sha256 is one of theirs. */
  readonly trusted?: TrustedManifest | null;
}

/** What a hash-only request carries as its query until the plugin finds the real one. */
const STAND_IN = '{ __typename }';

/** The request's `extensions.persistedQuery.sha256Hash`, lower case, or null. */
function hashOf(params: GraphQLParams): string | null {
  const persisted = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)
    ?.persistedQuery;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash.toLowerCase() : null;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const refuse = (message: string, code: string): { errors: GraphQLError[] } => ({
  errors: [new GraphQLError(message, { extensions: { code } })],
});

/**
 * Every operation of a document with the fragments it uses, printed, with its
 * sha256 as id: the manifest `--trusted-documents` reads, made from the
 * contract's operations (or a team's own).
 * @throws GraphQLError when the document does not parse.
 */
export function manifestFromDocument(source: string): TrustedManifest {
  const doc = parse(source);
  const fragments = new Map(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const operations = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: operations.map((op) => {
      const used = new Map<string, FragmentDefinitionNode>();
      const walk = (node: DefinitionNode): void => {
        visit(node, {
          FragmentSpread(s) {
            const f = fragments.get(s.name.value);
            if (f && !used.has(f.name.value)) {
              used.set(f.name.value, f);
              walk(f);
            }
          },
        });
      };
      walk(op);
      const body = [op, ...[...used.values()].sort((a, b) => (a.name.value < b.name.value ? -1 : 1))]
        .map((d) => print(d))
        .join('\n\n');
      return { id: sha256(body), name: op.name?.value ?? '', type: op.operation, body };
    }),
  };
}

/**
 * The check of a trusted manifest, for HTTP (the plugin below) and graphql-ws
 * (ws.ts) alike: the body of the document a request names by
 * `extensions.persistedQuery.sha256Hash` or sends whole, else the
 * PERSISTED_QUERY_NOT_ALLOWED error.
 */
export type TrustedCheck = (hash: string | null, query: string | null) => string | GraphQLError;

export function trustedDocuments(manifest: TrustedManifest): TrustedCheck {
  const bodies = new Map(manifest.operations.map((o) => [o.id, o.body]));
  return (hash, query) => {
    const id = hash ?? (query !== null ? sha256(query) : null);
    const body = id ? bodies.get(id) : undefined;
    return (
      body ??
      new GraphQLError(
        'only trusted documents run on this gateway: send one of its manifest by extensions.persistedQuery.sha256Hash, or ask its operator to add yours',
        { extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' } },
      )
    );
  };
}

/** A request's `extensions.persistedQuery.sha256Hash`, for graphql-ws messages. */
export const persistedHashOf = (extensions: unknown): string | null =>
  hashOf({ extensions } as GraphQLParams);

/**
 * Apollo's automatic persisted queries: a request may send only
 * `extensions.persistedQuery.sha256Hash`; an unknown hash answers
 * PERSISTED_QUERY_NOT_FOUND, so the client (Apollo's persisted-queries link)
 * sends the query with its hash once, which is checked and remembered. With a
 * trusted manifest, only its documents run (PERSISTED_QUERY_NOT_ALLOWED for
 * anything else), whether sent by id or whole.
 */
export function usePersistedQueries({
  maxEntries = 1000,
  trusted = null,
}: PersistedQueryOptions = {}): Plugin {
  const known = new LRUCache<string, string>({ max: maxEntries });
  const allowed = trusted ? trustedDocuments(trusted) : null;
  return {
    // Yoga checks that a request has a query before any plugin's onParams: a hash-only request gets a
    // stand-in here, replaced (or refused) in onParams below.
    onRequestParse() {
      return {
        onRequestParseDone({ requestParserResult, setRequestParserResult }) {
          const fill = (p: GraphQLParams): GraphQLParams =>
            hashOf(p) !== null && !p.query ? { ...p, query: STAND_IN } : p;
          setRequestParserResult(
            Array.isArray(requestParserResult) ? requestParserResult.map(fill) : fill(requestParserResult),
          );
        },
      };
    },
    onParams({ params, setParams, setResult }) {
      const hash = hashOf(params);
      const query = hash !== null && params.query === STAND_IN ? null : (params.query ?? null);
      if (allowed) {
        const body = allowed(hash, query);
        if (body instanceof GraphQLError) return setResult({ errors: [body] });
        if (query !== body) setParams({ ...params, query: body });
        return;
      }
      if (hash === null) return;
      if (query !== null && query !== '') {
        if (sha256(query) !== hash)
          return setResult(
            refuse(
              'provided sha does not match query: sha256Hash must be the hex SHA-256 of the query text sent',
              'PERSISTED_QUERY_HASH_MISMATCH',
            ),
          );
        known.set(hash, query);
        return;
      }
      const remembered = known.get(hash);
      // Apollo's link retries with the full query on this exact message or code.
      if (remembered === undefined)
        return setResult(refuse('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND'));
      setParams({ ...params, query: remembered });
    },
  };
}
