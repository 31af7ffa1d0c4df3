import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/server/app.ts';
import { INGEST, TEST_NOW, type GqlResponse } from '../support/app.ts';
import { liveIngested } from '../support/live.ts';
import { TestRedis } from './redis-server.ts';

// API keys written through the shared log: a key created or revoked on one replica holds on
// every replica (a revoke sent through a load balancer reaches them all), and only the hash
// of a secret travels.

const dir = mkdtempSync(join(tmpdir(), 'assay-keys-replicas-'));
const STREAM = 'keys';
let redis: TestRedis;
const open: App[] = [];
const urls: Record<'a' | 'b', string> = { a: '', b: '' };
let apps: Record<'a' | 'b', App>;

async function replica(name: 'a' | 'b'): Promise<App> {
  const app = await createApp({
    db: join(dir, `${name}.duckdb`),
    redis: redis.url,
    replicaId: name,
    port: 0,
    readers: 1,
    auth: true,
    rateLimit: null,
    logLevel: 'silent',
    now: () => TEST_NOW,
    cluster: { stream: STREAM },
  });
  open.push(app);
  urls[name] = await app.listen();
  return app;
}

beforeAll(async () => {
  redis = await TestRedis.start();
  apps = { a: await replica('a'), b: await replica('b') };
}, 60_000);

afterAll(async () => {
  for (const app of open) await app.close();
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

async function send<T = Record<string, unknown>>(
  on: 'a' | 'b',
  key: string,
  query: string,
  variables?: Record<string, unknown>,
) {
  const res = await fetch(urls[on], {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GqlResponse<T> };
}

/** Waits until both replicas know the same keys (each checks as it applies an entry of the log). */
async function settled(): Promise<void> {
  const same = () => apps.a.keys.list().length === apps.b.keys.list().length;
  const seen = [apps.a, apps.b].map((app) => app.cluster!.replicator.until(same, 10_000));
  expect(await Promise.race(seen)).toBe(true);
}

const CREATE = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret key { id } } }';
const REVOKE = 'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }';

describe('API keys with replicas', () => {
  it('holds a key created on one replica on every replica, and a revoke on any replica ends its use everywhere', async () => {
    const admin = (await apps.a.keys.create({ name: 'ops', scope: 'admin', projects: null })).secret;
    await settled();
    expect((await send('b', admin, '{ runs { totalCount } }')).status).toBe(200);

    const made = await send<{ createApiKey: { secret: string; key: { id: string } } }>('b', admin, CREATE, {
      input: { name: 'dash', scope: 'READ', projects: ['web'] },
    });
    const { secret, key } = made.body.data!.createApiKey;
    await settled();
    expect(apps.a.keys.isActive(key.id)).toBe(true);

    // A live subscription on replica a under the key; the revoke goes to replica b.
    const live = await liveIngested(urls.a, secret, (i) =>
      send('a', admin, INGEST, {
        input: {
          run: { id: `live-${i}`, project: 'web', startedAt: '2026-11-03T00:00:00Z' },
          results: [{ suite: 's', name: 'n', status: 'PASSED', durationMs: 1 }],
        },
      }),
    );
    const { inbox } = live;
    try {
      expect(live.first).toMatchObject({ data: { ingested: { run: { id: expect.any(String) } } } });
      const revoked = await send<{ revokeApiKey: { id: string } }>('b', admin, REVOKE, { id: key.id });
      expect(revoked.body.data?.revokeApiKey.id).toBe(key.id);
      expect(await inbox.next()).toBe('complete');
    } finally {
      await live.close();
    }
    for (const on of ['a', 'b'] as const) {
      const refused = await send(on, secret, '{ runs { totalCount } }');
      expect([on, refused.status]).toEqual([on, 401]);
    }
    // A replica that starts later reads the keys from its database, written from the log.
    await apps.b.close();
    open.splice(open.indexOf(apps.b), 1);
    apps.b = await replica('b');
    expect((await send('b', admin, '{ runs { totalCount } }')).status).toBe(200);
    expect((await send('b', secret, '{ runs { totalCount } }')).status).toBe(401);
  });

  it('writes the hash of a secret to the shared log, never the secret', async () => {
    const { secret, key } = await apps.a.keys.create({ name: 'ci', scope: 'ingest', projects: null });
    const r = new Redis(redis.url);
    try {
      const fields = (await r.xrange(STREAM, '-', '+')).flatMap(([, f]) => f);
      const saved = fields
        .filter((f) => f.startsWith('{'))
        .map((f) => JSON.parse(f) as { op: string; key?: { id: string; hash: string } })
        .find((e) => e.op === 'saveKey' && e.key?.id === key.id);
      expect(saved?.key?.hash).toBe(createHash('sha256').update(secret).digest('hex'));
      // The secret is assay_<id>_<32 random bytes, base64url>; the id is public, and the random
      // part may itself hold '_' (so it is cut after the id, not at the last '_').
      const prefix = `assay_${key.id}_`;
      expect(secret.startsWith(prefix)).toBe(true);
      const random = secret.slice(prefix.length);
      expect(random).toHaveLength(43);
      expect(fields.filter((f) => f.includes(random))).toEqual([]);
    } finally {
      r.disconnect();
    }
  });
});
