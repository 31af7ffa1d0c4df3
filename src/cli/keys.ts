import { UsageError, parse } from './args.ts';
import type { KeyOps } from './keys-target.ts';

export const KEYS_USAGE = `assay keys create --scope read|ingest|admin [--project P]… [--name N] [TARGET]
       assay keys list [TARGET]
       assay keys revoke ID [TARGET]

API keys for a gateway that needs them (\`assay serve --auth\`, or any host
beyond loopback). Clients send one as \`Authorization: Bearer <key>\` (the CLI
reads $ASSAY_API_KEY), graphql-ws clients in connection_init as
{ authorization: "Bearer <key>" } or { apiKey: "<key>" }.

Scopes include the ones below them: admin (alert rules, webhooks, retention,
keys) > ingest (uploads, the ingest mutations, acknowledging alerts) > read
(every query and subscription). --project limits a key to those projects
(repeat it); without it the key covers every project.

create prints the secret once: only its SHA-256 is stored. With --server the
running gateway makes the change at once (a revoked key is refused from the
next request, its subscriptions end), through its apiKeys, createApiKey and
revokeApiKey operations, with an admin key. With --db the file is changed
directly: only while no server holds it; a server reads its keys when it starts.

  --scope S     read, ingest or admin
  --project P   a project the key may use (repeatable; default: every project)
  --name N      a label for \`keys list\` (default: the scope)
TARGET:
  --server URL  a running gateway, e.g. http://127.0.0.1:4000
  --key KEY     an admin key for --server (default $ASSAY_API_KEY)
  --db PATH     database file (default $ASSAY_DB or data/assay.duckdb)`;

const OPTIONS = {
  db: { type: 'string' },
  server: { type: 'string' },
  key: { type: 'string' },
  scope: { type: 'string' },
  project: { type: 'string', multiple: true },
  name: { type: 'string' },
} as const;

export async function keysCommand(
  args: readonly string[],
  out: (line: string) => void,
  now: () => Date,
): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS);
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
  if (values.server && values.db) throw new UsageError('give --server or --db, not both');
  if (values.key && !values.server)
    throw new UsageError('--key goes with --server (the gateway it is sent to)');
  const targets = await import('./keys-target.ts');
  const ops: KeyOps = values.server
    ? targets.serverKeys(values.server, values.key ?? process.env['ASSAY_API_KEY'])
    : await targets.dbKeys(values.db, action === 'create', now);
  try {
    if (action === 'create') {
      const scope = values.scope as Parameters<KeyOps['create']>[0]['scope'];
      const projects = values.project?.length ? values.project : null;
      const { key, secret } = await ops.create({ name: values.name ?? scope, scope, projects });
      out(
        `Created key ${key.id} (${key.name}): scope ${key.scope}, ${projects ? `projects ${projects.join(', ')}` : 'every project'}.`,
      );
      out(`Secret (shown only now; send it as "Authorization: Bearer <secret>"):`);
      out(secret);
      return 0;
    }
    if (action === 'revoke') {
      const id = rest[0] ?? '';
      if (!(await ops.revoke(id)))
        throw new UsageError(`no key that is not revoked yet has id "${id}"; \`assay keys list\` shows them`);
      out(`Revoked key ${id}. ${ops.revokeNote}`);
      return 0;
    }
    const all = await ops.list();
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
    await ops.close();
  }
}
