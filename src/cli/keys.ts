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
  const [action, ...rest] = positionals;
  if (!action || !['create', 'list', 'revoke'].includes(action))
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
    if (action === 'create') {
      const scope = values.scope as Parameters<typeof keys.createKey>[1]['scope'];
      const projects = values.project?.length ? values.project : null;
      const { key, secret } = await keys.createKey(
        store.db,
        { name: values.name ?? scope, scope, projects },
        now(),
      );
      out(
        `Created key ${key.id} (${key.name}): scope ${key.scope}, ${projects ? `projects ${projects.join(', ')}` : 'every project'}.`,
      );
      out(`Secret (shown only now; send it as "Authorization: Bearer <secret>"):`);
      out(secret);
      return 0;
    }
    if (action === 'revoke') {
      const id = rest[0]!;
      if (!(await keys.revokeKey(store.db, id, now())))
        throw new UsageError(`no key that is not revoked yet has id "${id}"; \`assay keys list\` shows them`);
      out(`Revoked key ${id}. A running server keeps it until it restarts.`);
      return 0;
    }
    const all = await keys.listKeys(store.db);
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
    return 0;
  } finally {
    await store.close();
  }
}
