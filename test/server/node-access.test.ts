import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/server/app.ts';
import { INGEST, TEST_NOW, type GqlResponse } from '../support/app.ts';

// Relay's `node`/`nodes` under a key limited to some projects: objects of its projects are
// refetched, objects of others are FORBIDDEN, as `run(id)` and `test(id)` answer.

const batch = (id: string, project: string) => ({
  run: { id, project, branch: 'main', startedAt: '2026-11-03T00:00:00Z' },
  results: [{ suite: 's', name: `${project}-1`, status: 'PASSED', durationMs: 1 }],
});

let app: App;
let url: string;
const secrets = { admin: '', beta: '' };

async function send<T>(key: string, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResponse<T>;
}

beforeAll(async () => {
  app = await createApp({ port: 0, readers: 2, auth: true, rateLimit: null, now: () => TEST_NOW });
  url = await app.listen();
  secrets.admin = (await app.keys.create({ name: 'ops', scope: 'admin', projects: null })).secret;
  secrets.beta = (await app.keys.create({ name: 'b', scope: 'read', projects: ['beta'] })).secret;
  for (const [id, project] of [
    ['a-1', 'alpha'],
    ['b-1', 'beta'],
  ] as const)
    expect((await send(secrets.admin, INGEST, { input: batch(id, project) })).errors).toBeUndefined();
});
afterAll(() => app.close());

describe('node and nodes under a project-limited key', () => {
  it('refetches runs, tests and results of its projects and refuses those of others, item by item', async () => {
    type Ids = {
      results: { edges: { node: { nodeId: string; run: { id: string }; test: { nodeId: string } } }[] };
    };
    const all = await send<Ids>(
      secrets.admin,
      '{ results(first: 10) { edges { node { nodeId run { id } test { nodeId } } } } }',
    );
    const ids = new Map(all.data?.results.edges.map((e) => [e.node.run.id, e.node]));
    const alpha = ids.get('a-1');
    const beta = ids.get('b-1');
    if (!alpha || !beta) throw new Error('both runs were ingested');

    const own = await send<{ node: { nodeId: string } | null }>(
      secrets.beta,
      'query($id: ID!) { node(id: $id) { nodeId } }',
      { id: beta.test.nodeId },
    );
    expect(own).toEqual({ data: { node: { nodeId: beta.test.nodeId } } });

    const other = await send(secrets.beta, 'query($id: ID!) { node(id: $id) { nodeId } }', {
      id: alpha.nodeId,
    });
    expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(other.errors?.[0]?.message).toContain('project "beta"');

    const many = await send<{ nodes: ({ nodeId: string } | null)[] }>(
      secrets.beta,
      'query($ids: [ID!]!) { nodes(ids: $ids) { nodeId } }',
      { ids: [alpha.test.nodeId, beta.nodeId, alpha.nodeId] },
    );
    expect(many.data?.nodes).toEqual([null, { nodeId: beta.nodeId }, null]);
    expect(many.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['nodes', 0], 'FORBIDDEN'],
      [['nodes', 2], 'FORBIDDEN'],
    ]);

    // A key for every project refetches them all.
    const admin = await send<{ nodes: unknown[] }>(
      secrets.admin,
      'query($ids: [ID!]!) { nodes(ids: $ids) { nodeId } }',
      { ids: [alpha.test.nodeId, beta.nodeId] },
    );
    expect(admin).toEqual({ data: { nodes: [{ nodeId: alpha.test.nodeId }, { nodeId: beta.nodeId }] } });
  });
});
