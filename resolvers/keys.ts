import type { ApiKey, ApiKeyAdmin, NewApiKey, Scope } from '../src/domain/access.ts';
import { AssayError, badInput } from '../src/domain/errors.ts';
import type { Deps } from '../src/domain/ports.ts';

/**
 * API keys of the running server, for the `apiKeys`, `createApiKey` and `revokeApiKey` fields
 * (admin scope, checked by the guard): changes go through the server's keyring, so a revoked
 * key is refused at once and its subscriptions end, with no restart and no access to the file.
 */
type KeyDeps = Pick<Deps, 'keys'>;

const NAME_MAX = 200;

function adminOf(deps: KeyDeps): ApiKeyAdmin {
  if (!deps.keys)
    throw new AssayError(
      'UNAVAILABLE',
      'API keys are managed by a running gateway: send this to `assay serve`, or use `assay keys --db FILE` on a stopped one.',
    );
  return deps.keys;
}

/** Every key, revoked ones included, oldest first; never a secret (only its hash is stored). */
export function apiKeys(deps: KeyDeps): ApiKey[] {
  return adminOf(deps).list();
}

/**
 * Makes a key; its secret is in this answer only.
 * @throws BAD_USER_INPUT for an empty or over-long name, or an empty project name.
 */
export function createApiKey(
  deps: KeyDeps,
  input: {
    readonly name?: string | null | undefined;
    readonly scope: Scope;
    readonly projects?: readonly string[] | null | undefined;
  },
): Promise<{ key: ApiKey; secret: string }> {
  const name = (input.name ?? input.scope).trim();
  if (!name || name.length > NAME_MAX)
    throw badInput(`input.name must be 1 to ${NAME_MAX} characters (or left out: the scope is used)`, {
      field: 'input.name',
    });
  const projects = input.projects?.map((p) => p.trim()) ?? null;
  if (projects?.some((p) => !p))
    throw badInput(
      'input.projects holds an empty project name: name each project, or leave projects out for every project',
      {
        field: 'input.projects',
      },
    );
  const spec: NewApiKey = { name, scope: input.scope, projects: projects?.length ? projects : null };
  return adminOf(deps).create(spec);
}

/**
 * Revokes a key at once: requests with it are refused and its subscriptions end.
 * @throws NOT_FOUND when no key that is not revoked yet has the id.
 */
export async function revokeApiKey(deps: KeyDeps, id: string): Promise<ApiKey> {
  const admin = adminOf(deps);
  if (!(await admin.revoke(id)))
    throw new AssayError(
      'NOT_FOUND',
      `No key that is not revoked yet has id "${id}". The \`apiKeys\` query (or \`assay keys list\`) shows them.`,
    );
  const key = admin.list().find((k) => k.id === id);
  if (!key) throw new Error(`key ${id} was revoked but is not listed`);
  return key;
}
