import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError, parse } from './args.ts';
import { UnavailableError } from './exit.ts';
import { defaults, openError } from './target.ts';

export const KEYS_USAGE = `assay keys create --scope read|ingest|admin [--project P]… [--name N] [--db PATH]
       assay keys list [--db PATH]
       assay keys revoke ID [--db PATH]

API keys for a gateway that needs them (\`assay serve --auth\`, or any host
beyond loopback). Clients send one as \`Authorization: Bearer <key>\` (the CLI
reads $ASSAY_API_KEY), graphql-ws clients in connection_init as
{ authorization: "Bearer <key>" } or { apiKey: "<key>" }.

Scopes include the ones below them: admin (alert rules, webhooks, retention,
keys) > ingest (uploads, the ingest mutations, acknowledging alerts) > read
(every query and subscription). --project limits a key to those projects
(repeat it); without it the key covers every project.

create prints the secret once: only its SHA-256 is stored. Works on the
database file directly: stop the server that holds it first, then restart it.

  --scope S     read, ingest or admin
  --project P   a project the key may use (repeatable; default: every project)
  --name N      a label for \`keys list\` (default: the scope)
  --db PATH     database file (default $ASSAY_DB or data/assay.duckdb)`;

type Action = 'create' | 'list' | 'revoke';
type KeysModule = typeof import('../db/keys.ts');
type KeyDb = Parameters<KeysModule['listKeys']>[0];
interface KeysValues {
  readonly scope?: string | undefined;
  readonly project?: string[] | undefined;
  readonly name?: string | undefined;
}

/** Checks the action and its arguments before anything is opened (a mistake exits 2). */
async function checkArgs(
  action: string | undefined,
  rest: readonly string[],
  values: KeysValues,
): Promise<Action> {
  if (action !== 'create' && action !== 'list' && action !== 'revoke')
    throw new UsageError(
      `say what to do: create, list or revoke (got ${action ? `"${action}"` : 'nothing'})`,
    );
  const { isScope } = await import('../domain/access.ts');
  if (action === 'create') {
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
    if (!values.scope || !isScope(values.scope))
      throw new UsageError(
        `--scope must be read, ingest or admin (got ${values.scope ? `"${values.scope}"` : 'nothing'})`,
      );
    if (values.project?.some((p) => !p.trim())) throw new UsageError('--project needs a project name');
  } else if (action === 'revoke') {
    if (rest.length !== 1)
      throw new UsageError('name the key to revoke: assay keys revoke ID (`assay keys list` shows ids)');
  } else if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  return action;
}

/** `keys create`: stores the key's hash and prints its secret, once. */
async function createAction(
  keys: KeysModule,
  db: KeyDb,
  values: KeysValues,
  out: (line: string) => void,
  at: Date,
) {
  const scope = values.scope as Parameters<KeysModule['createKey']>[1]['scope'];
  const projects = values.project?.length ? values.project : null;
  const { key, secret } = await keys.createKey(db, { name: values.name ?? scope, scope, projects }, at);
  out(
    `Created key ${key.id} (${key.name}): scope ${key.scope}, ${projects ? `projects ${projects.join(', ')}` : 'every project'}.`,
  );
  out(`Secret (shown only now; send it as "Authorization: Bearer <secret>"):`);
  out(secret);
}

/** `keys list`: one line per key, revoked ones included. */
async function listAction(keys: KeysModule, db: KeyDb, out: (line: string) => void) {
  const all = await keys.listKeys(db);
  if (!all.length) out('No keys. Create one with `assay keys create --scope admin`.');
  for (const k of all)
    out(
      [
        k.id,
        k.scope.padEnd(6),
        (k.projects ? k.projects.join(',') : '*').padEnd(16),
        k.createdAt.toISOString(),
        k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active',
        k.name,
      ].join('  '),
    );
}

export async function keysCommand(
  args: readonly string[],
  out: (line: string) => void,
  now: () => Date,
): Promise<number> {
  const { values, positionals } = parse(args, {
    db: { type: 'string' },
    scope: { type: 'string' },
    project: { type: 'string', multiple: true },
    name: { type: 'string' },
  });
  const [given, ...rest] = positionals;
  const action = await checkArgs(given, rest, values);
  const path = values.db ?? defaults().db;
  if (path !== ':memory:' && !existsSync(path)) {
    if (action !== 'create')
      throw new UnavailableError(`there is no database at ${resolve(path)} (--db ${path}): check the path.`);
    mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  // DuckDB loads when the command runs, not with its help.
  const [{ openStore }, keys] = await Promise.all([import('../db/store.ts'), import('../db/keys.ts')]);
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore({ path, readers: 1, now });
  } catch (err) {
    throw openError(path, err, 'stop it first (the server reads its keys when it starts), then restart it');
  }
  try {
    if (action === 'create') await createAction(keys, store.db, values, out, now());
    else if (action === 'list') await listAction(keys, store.db, out);
    else {
      const id = rest[0]!;
      if (!(await keys.revokeKey(store.db, id, now())))
        throw new UsageError(`no key that is not revoked yet has id "${id}"; \`assay keys list\` shows them`);
      out(`Revoked key ${id}. A running server keeps it until it restarts.`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
