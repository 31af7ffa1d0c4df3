import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { EXIT } from '../../src/cli/exit.ts';
import { createApp, type App } from '../../src/server/app.ts';
import { createLogger } from '../../src/server/logger.ts';
import { INGEST, TEST_NOW, type GqlResponse } from '../support/app.ts';
import { liveIngested } from '../support/live.ts';

// API keys managed through a running gateway: the admin-scope GraphQL operations, and
// `assay keys --server`, while the server holds its database file.

let app: App;
let url: string;
const lines: string[] = [];
const secrets: string[] = [];
let admin = '';

async function send<T = Record<string, unknown>>(
  key: string,
  query: string,
  variables?: Record<string, unknown>,
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GqlResponse<T> };
}
const codes = (r: { body: GqlResponse }) => r.body.errors?.map((e) => e.extensions?.code);

const CREATE = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret key { id name scope projects createdAt revokedAt } }
}`;
const REVOKE = 'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }';
type Created = { createApiKey: { secret: string; key: { id: string } } };

beforeAll(async () => {
  app = await createApp({
    port: 0,
    readers: 2,
    auth: true,
    rateLimit: null,
    now: () => TEST_NOW,
    log: createLogger('debug', (l) => lines.push(l)),
  });
  url = await app.listen();
  admin = (await app.keys.create({ name: 'ops', scope: 'admin', projects: null })).secret;
  secrets.push(admin);
});
afterAll(() => app.close());

describe('API keys over GraphQL', () => {
  it('creates a key (its secret once), lists keys without secrets, and revokes at once, ending its subscriptions', async () => {
    const made = await send<Created>(admin, CREATE, {
      input: { name: 'dash', scope: 'READ', projects: ['web'] },
    });
    expect(made.body.errors).toBeUndefined();
    const { secret, key } = made.body.data!.createApiKey;
    secrets.push(secret);
    expect(made.body.data!.createApiKey.key).toEqual({
      id: key.id,
      name: 'dash',
      scope: 'READ',
      projects: ['web'],
      createdAt: TEST_NOW.toISOString(),
      revokedAt: null,
    });
    expect(secret.startsWith(`assay_${key.id}_`)).toBe(true);
    const listed = await send<{ apiKeys: { id: string; scope: string }[] }>(
      admin,
      '{ apiKeys { id name scope } }',
    );
    expect(listed.body.data?.apiKeys.map((k) => k.scope)).toEqual(['ADMIN', 'READ']);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const live = await liveIngested(url, secret, (i) =>
      send(admin, INGEST, {
        input: {
          run: { id: `live-${i}`, project: 'web', startedAt: '2026-11-03T00:00:00Z' },
          results: [{ suite: 's', name: 'n', status: 'PASSED', durationMs: 1 }],
        },
      }),
    );
    const { inbox } = live;
    try {
      expect(live.first).toMatchObject({ data: { ingested: { run: { id: expect.any(String) } } } });
      const revoked = await send<{ revokeApiKey: { id: string; revokedAt: string } }>(admin, REVOKE, {
        id: key.id,
      });
      expect(revoked.body.data?.revokeApiKey).toEqual({ id: key.id, revokedAt: TEST_NOW.toISOString() });
      expect(await inbox.next()).toBe('complete');
    } finally {
      await live.close();
    }
    const refused = await send(secret, '{ runs { totalCount } }');
    expect([refused.status, codes(refused)]).toEqual([401, ['UNAUTHENTICATED']]);
    const again = await send(admin, REVOKE, { id: key.id });
    expect(codes(again)).toEqual(['NOT_FOUND']);
  });

  it('lets only admin keys for every project list, create or revoke keys', async () => {
    const reader = await app.keys.create({ name: 'r', scope: 'read', projects: null });
    const teamAdmin = await app.keys.create({ name: 'a', scope: 'admin', projects: ['web'] });
    secrets.push(reader.secret, teamAdmin.secret);
    for (const key of [reader.secret, teamAdmin.secret]) {
      expect(codes(await send(key, '{ apiKeys { id } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await send(key, CREATE, { input: { scope: 'ADMIN' } }))).toEqual(['FORBIDDEN']);
      expect(codes(await send(key, REVOKE, { id: reader.key.id }))).toEqual(['FORBIDDEN']);
    }
    expect(app.keys.isActive(reader.key.id)).toBe(true);
    const bad = await send(admin, CREATE, { input: { scope: 'READ', projects: [' '] } });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('assay keys --server', () => {
  async function cli(args: string[]) {
    const out: string[] = [];
    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    try {
      return {
        code: await main(
          args,
          (l) => out.push(l),
          () => TEST_NOW,
        ),
        out,
        stderr,
      };
    } finally {
      spy.mockRestore();
    }
  }

  it('creates, lists and revokes keys through the running gateway with an admin key', async () => {
    const server = url.replace(/\/graphql$/, '');
    const made = await cli([
      'keys',
      'create',
      '--scope',
      'ingest',
      '--project',
      'api',
      '--name',
      'ci',
      '--server',
      server,
      '--key',
      admin,
    ]);
    expect(made.code).toBe(EXIT.OK);
    const secret = made.out.at(-1) ?? '';
    secrets.push(secret);
    const id =
      /^Created key ([0-9a-f]{12}) \(ci\): scope ingest, projects api\.$/.exec(made.out[0] ?? '')?.[1] ?? '';
    expect(app.keys.authenticate(secret).key.id).toBe(id);
    const listed = await cli(['keys', 'list', '--server', server, '--key', admin]);
    expect(listed.out).toContain(`${id}  ingest  api               ${TEST_NOW.toISOString()}  active  ci`);
    expect((await cli(['keys', 'revoke', id, '--server', server, '--key', admin])).code).toBe(EXIT.OK);
    expect(() => app.keys.authenticate(secret)).toThrow(/unknown or revoked/);
    const again = await cli(['keys', 'revoke', id, '--server', server, '--key', admin]);
    expect([again.code, again.stderr.includes('keys list')]).toEqual([EXIT.USAGE, true]);
    // Without an admin key the gateway refuses, and the command says so.
    const anonymous = await cli(['keys', 'list', '--server', server, '--key', 'assay_000000000000_x']);
    expect(anonymous.code).toBe(EXIT.ERROR);
    expect(anonymous.stderr).toContain('unknown or revoked');
  });

  it('never logs a secret', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of secrets) for (const l of lines) expect(l).not.toContain(secret);
  });
});
