import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ApiKey, NewApiKey } from '../domain/access.ts';
import { UsageError } from './args.ts';
import { UnavailableError } from './exit.ts';
import { httpRequest } from './http.ts';
import { defaults, openError } from './target.ts';

/** Where `assay keys` makes its changes: a running gateway (--server) or a database file (--db). */
export interface KeyOps {
  list(): Promise<ApiKey[]>;
  create(spec: NewApiKey): Promise<{ key: ApiKey; secret: string }>;
  /** False when no key that is not revoked yet has the id. */
  revoke(id: string): Promise<boolean>;
  /** What the revocation means for a running server. */
  readonly revokeNote: string;
  close(): Promise<void>;
}

const FIELDS = 'id name scope projects createdAt revokedAt';

interface WireKey {
  id: string;
  name: string;
  scope: 'READ' | 'INGEST' | 'ADMIN';
  projects: string[] | null;
  createdAt: string;
  revokedAt: string | null;
}

const fromWire = (k: WireKey): ApiKey => ({
  ...k,
  scope: k.scope === 'ADMIN' ? 'admin' : k.scope === 'INGEST' ? 'ingest' : 'read',
  createdAt: new Date(k.createdAt),
  revokedAt: k.revokedAt === null ? null : new Date(k.revokedAt),
});

interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: unknown } }[];
}

/** The keys of a running gateway, through its admin-scope GraphQL operations, sent with `key`. */
export function serverKeys(server: string, key: string | undefined): KeyOps {
  let endpoint: URL;
  try {
    endpoint = new URL(server);
  } catch {
    throw new UsageError(`--server must be a URL such as http://127.0.0.1:4000 (got "${server}")`);
  }
  if (!endpoint.pathname.endsWith('/graphql'))
    endpoint.pathname = `${endpoint.pathname.replace(/\/$/, '')}/graphql`;
  const send = async <T>(query: string, variables?: Record<string, unknown>): Promise<Answer<T>> => {
    const res = await httpRequest(endpoint, { body: JSON.stringify({ query, variables }), key }).catch(
      (err: unknown) => {
        throw new UnavailableError(
          `cannot reach the gateway at ${endpoint.origin}: ${(err as Error).message}. Is \`assay serve\` running there?`,
        );
      },
    );
    try {
      return JSON.parse(res.text) as Answer<T>;
    } catch {
      throw new UnavailableError(`${endpoint.href} answered HTTP ${res.status} without a GraphQL response`);
    }
  };
  const data = async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const body = await send<T>(query, variables);
    if (body.errors?.length || !body.data)
      throw new Error((body.errors ?? []).map((e) => e.message).join('; '));
    return body.data;
  };
  return {
    list: async () => (await data<{ apiKeys: WireKey[] }>(`{ apiKeys { ${FIELDS} } }`)).apiKeys.map(fromWire),
    async create(spec) {
      const input = { name: spec.name, scope: spec.scope.toUpperCase(), projects: spec.projects };
      const made = await data<{ createApiKey: { key: WireKey; secret: string } }>(
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key { ${FIELDS} } secret } }`,
        { input },
      );
      return { key: fromWire(made.createApiKey.key), secret: made.createApiKey.secret };
    },
    async revoke(id) {
      const body = await send(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id });
      const errors = body.errors ?? [];
      if (errors.some((e) => e.extensions?.code === 'NOT_FOUND')) return false;
      if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
      return true;
    },
    revokeNote: 'The gateway refuses it from now on, and its subscriptions have ended.',
    close: async () => undefined,
  };
}

/** The keys in a database file no server holds (the server reads them when it starts). */
export async function dbKeys(db: string | undefined, create: boolean, now: () => Date): Promise<KeyOps> {
  const path = db ?? defaults().db;
  if (path !== ':memory:' && !existsSync(path)) {
    if (!create)
      throw new UnavailableError(`there is no database at ${resolve(path)} (--db ${path}): check the path.`);
    mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  // DuckDB loads when the command runs, not with its help.
  const [{ openStore }, keys] = await Promise.all([import('../db/store.ts'), import('../db/keys.ts')]);
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore({ path, readers: 1, now });
  } catch (err) {
    throw openError(
      path,
      err,
      'revoke or create keys through it instead: assay keys … --server URL --key ADMIN_KEY',
    );
  }
  return {
    list: () => keys.listKeys(store.db),
    create: (spec) => keys.createKey(store.db, spec, now()),
    revoke: (id) => keys.revokeKey(store.db, id, now()),
    revokeNote: 'A server started on this file refuses it.',
    close: () => store.close(),
  };
}
