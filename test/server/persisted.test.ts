import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { manifestFromDocument } from '../../src/server/persisted.ts';
import { INGEST, data, testApp, type GqlResponse } from '../support/app.ts';
import { RUN_A } from '../support/fixtures.ts';

let app: App;
afterEach(async () => app?.close());

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
async function send<T = Record<string, unknown>>(body: Record<string, unknown>): Promise<GqlResponse<T>> {
  const res = await app.yoga.fetch('http://assay.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as GqlResponse<T>;
}
const CONTRACT = readFileSync(
  new URL('../../../shared/contract/operations.graphql', import.meta.url),
  'utf8',
);

describe('automatic persisted queries', () => {
  it('answers an unknown hash PERSISTED_QUERY_NOT_FOUND, learns the query sent with its hash, then runs it by hash alone', async () => {
    app = await testApp();
    await data(app, INGEST, { input: RUN_A });
    const query = '{ runs(first: 5) { totalCount } }';
    const persistedQuery = { version: 1, sha256Hash: sha(query) };
    const miss = await send({ extensions: { persistedQuery } });
    expect(miss.errors?.[0]).toMatchObject({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
    expect((await send({ query, extensions: { persistedQuery } })).data).toEqual({ runs: { totalCount: 1 } });
    expect((await send({ extensions: { persistedQuery } })).data).toEqual({ runs: { totalCount: 1 } });
  });

  it('refuses a query whose hash is not its own', async () => {
    app = await testApp();
    const r = await send({
      query: '{ runs(first: 1) { totalCount } }',
      extensions: { persistedQuery: { version: 1, sha256Hash: sha('{ tests(first: 1) { totalCount } }') } },
    });
    expect(r.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
  });
});

describe('trusted documents', () => {
  it("makes a manifest of the contract's operations, each with the fragments it uses, hashed", () => {
    const manifest = manifestFromDocument(CONTRACT);
    expect(manifest.operations.length).toBeGreaterThanOrEqual(10);
    for (const op of manifest.operations) {
      expect(op.id).toBe(sha(op.body));
      // Every fragment the body spreads is defined in it.
      for (const [, name] of op.body.matchAll(/\.\.\.([_A-Za-z][_0-9A-Za-z]*)/g))
        expect(op.body).toContain(`fragment ${name} on`);
    }
  });

  it('runs only the manifest: by id or sent whole; anything else is PERSISTED_QUERY_NOT_ALLOWED', async () => {
    const manifest = manifestFromDocument(
      `query Runs { runs(first: 5) { totalCount } }\nmutation Ingest($input: IngestInput!) { ingest(input: $input) { accepted } }`,
    );
    app = await testApp({ trustedDocuments: manifest });
    const ingest = manifest.operations.find((o) => o.name === 'Ingest')!;
    const runs = manifest.operations.find((o) => o.name === 'Runs')!;
    expect(
      (
        await send({
          extensions: { persistedQuery: { version: 1, sha256Hash: ingest.id } },
          variables: { input: RUN_A },
        })
      ).data,
    ).toEqual({ ingest: { accepted: 6 } });
    expect((await send({ query: runs.body })).data).toEqual({ runs: { totalCount: 1 } });
    const other = await send({ query: '{ tests(first: 1) { totalCount } }' });
    expect(other.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(other.data ?? null).toBeNull();
  });
});

describe('trusted documents over graphql-ws', () => {
  /** One operation's outcome on the socket: its result, or the `error` the server sent for its id. */
  function run(client: Client, payload: { query: string; extensions?: Record<string, unknown> }) {
    return new Promise<{ result?: GqlResponse; errors?: GqlResponse['errors'] }>((resolve, reject) => {
      let result: GqlResponse | undefined;
      client.subscribe(payload, {
        next: (v) => void (result = v as GqlResponse),
        error: (e) => (Array.isArray(e) ? resolve({ errors: e as GqlResponse['errors'] }) : reject(e)),
        complete: () => resolve({ ...(result && { result }) }),
      });
    });
  }

  it('refuses an operation off the manifest with an error for its id, keeps the socket, and runs the manifest by id or whole', async () => {
    const manifest = manifestFromDocument('query Runs { runs(first: 5) { totalCount } }');
    const runs = manifest.operations[0]!;
    app = await testApp({ trustedDocuments: manifest });
    const url = await app.listen();
    let closed = false;
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      on: { closed: () => void (closed = true) },
    });
    try {
      const other = await run(client, { query: '{ tests(first: 1) { totalCount } }' });
      expect(other.result).toBeUndefined();
      expect(other.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
      expect((await run(client, { query: runs.body })).result?.data).toEqual({ runs: { totalCount: 0 } });
      const byId = await run(client, {
        query: '',
        extensions: { persistedQuery: { version: 1, sha256Hash: runs.id } },
      });
      expect(byId.result?.data).toEqual({ runs: { totalCount: 0 } });
      expect(closed).toBe(false);
    } finally {
      await client.dispose();
    }
  });
});

describe('assay trust', () => {
  it("writes the contract's manifest, which a gateway then serves alone", async () => {
    const { main } = await import('../../src/cli/main.ts');
    const lines: string[] = [];
    expect(
      await main(
        ['trust', new URL('../../../shared/contract/operations.graphql', import.meta.url).pathname],
        (l) => lines.push(l),
      ),
    ).toBe(0);
    const manifest = JSON.parse(lines.join('\n')) as ReturnType<typeof manifestFromDocument>;
    expect(manifest).toEqual(manifestFromDocument(CONTRACT));
    expect(await main(['trust'], () => undefined)).toBe(2);
  });
});
