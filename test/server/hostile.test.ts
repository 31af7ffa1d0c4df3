import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { countRootFields } from '../../src/server/root-fields.ts';
import { parse } from 'graphql';
import { INGEST, testApp, type GqlResponse } from '../support/app.ts';

// Probes of a hostile caller against a gateway with keys on: each case was a way through
// before it was closed (a project-limited key reading every project's totals, one request
// doing many requests' work through aliases, a misread Authorization header, a stream
// that outlived its revoked key).

const batch = (id: string, project: string) => ({
  run: { id, project, branch: 'main', startedAt: '2026-11-03T00:00:00Z' },
  results: [{ suite: 's', name: `${project}-1`, status: 'PASSED', durationMs: 1 }],
});

describe('a hostile caller with keys on', () => {
  let app: App;
  let url: string;
  const keys = { admin: '', readBeta: '', readAll: '' };
  const send = async (key: string | null, query: string, variables?: object, headers: object = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(key && { authorization: `Bearer ${key}` }),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as GqlResponse };
  };

  beforeAll(async () => {
    app = await testApp({ auth: true, rateLimit: null });
    url = await app.listen();
    keys.admin = (await app.keys.create({ name: 'ops', scope: 'admin', projects: null })).secret;
    keys.readBeta = (await app.keys.create({ name: 'b', scope: 'read', projects: ['beta'] })).secret;
    keys.readAll = (await app.keys.create({ name: 'all', scope: 'read', projects: null })).secret;
    for (const [id, project] of [
      ['a-1', 'alpha'],
      ['a-2', 'alpha'],
      ['b-1', 'beta'],
    ] as const)
      expect((await send(keys.admin, INGEST, { input: batch(id, project) })).body.errors).toBeUndefined();
  });
  afterAll(() => app.close());

  it("keeps every project's totals in `gateway` from a key limited to some projects", async () => {
    const limited = await send(keys.readBeta, '{ gateway { runs tests results } }');
    expect(limited.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(limited.body.errors?.[0]?.message).toContain('gateway touches every project');
    expect(limited.body.data?.['gateway']).toBeUndefined();
    expect((await send(keys.readAll, '{ gateway { runs } }')).body.data).toEqual({ gateway: { runs: 3 } });
  });

  it('refuses an operation that aliases more root fields than the limit, fragments included', async () => {
    const fields = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => `r${i + from}: runs(first: 1) { totalCount }`).join(' ');
    const ok = await send(keys.readAll, `{ __typename ${fields(10)} }`);
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data?.['r9']).toEqual({ totalCount: 3 });
    for (const query of [
      `{ ${fields(11)} }`,
      `{ ${fields(6)} ...More } fragment More on Query { ${fields(5, 6)} }`,
      `{ ${fields(6)} ... on Query { ${fields(5, 6)} } }`,
    ]) {
      const refused = await send(keys.readAll, query);
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]).toMatchObject({
        message: expect.stringContaining('selects 11 root fields; the limit is 10') as string,
        extensions: { code: 'QUERY_TOO_COSTLY' },
      });
    }
  });

  it('takes the root-field limit from the app config', async () => {
    const strict = await testApp({ limits: { maxRootFields: 2 } });
    try {
      const ask = (query: string) =>
        strict.yoga.fetch('http://assay.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ query }),
        });
      expect(
        ((await (await ask('{ a: runs { totalCount } b: tests { totalCount } }')).json()) as GqlResponse)
          .errors,
      ).toBeUndefined();
      const refused = await ask('{ a: runs { totalCount } b: tests { totalCount } c: runs { totalCount } }');
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as GqlResponse).errors?.[0]?.message).toContain(
        'selects 3 root fields; the limit is 2',
      );
    } finally {
      await strict.close();
    }
  });

  it('counts root fields through named and inline fragments, a fragment spread twice twice', () => {
    const doc = parse(
      'query A { a: runs { totalCount } __typename ...F ...F ... on Query { b: tests { totalCount } } } fragment F on Query { c: gateway { version } d: alertRules { id } }',
    );
    expect(countRootFields(doc, 'A')).toBe(6);
  });

  it('says what is wrong with an Authorization header that is not `Bearer <key>`', async () => {
    for (const authorization of [
      `Bearer ${keys.readAll}, Bearer ${keys.readBeta}`,
      `Basic ${Buffer.from(`x:${keys.readAll}`).toString('base64')}`,
      'Bearer',
    ]) {
      const r = await send(null, '{ runs { totalCount } }', undefined, { authorization });
      expect(r.status).toBe(401);
      expect(r.body.errors?.[0]?.message).toContain('must be `Bearer <key>`');
    }
    // The scheme is case-insensitive (RFC 9110), and spaces around the key do not matter.
    const lower = await send(null, '{ runs { totalCount } }', undefined, {
      authorization: `  bearer   ${keys.readAll} `,
    });
    expect(lower.body.data).toEqual({ runs: { totalCount: 3 } });
  });

  it('ends an open SSE subscription when its key is revoked', async () => {
    const doomed = await app.keys.create({ name: 'doomed', scope: 'read', projects: null });
    const controller = new AbortController();
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        authorization: `Bearer ${doomed.secret}`,
      },
      body: JSON.stringify({ query: 'subscription { ingested { run { id } } }' }),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const text = res.text();
    try {
      expect(await app.keys.revoke(doomed.key.id)).toBe(true);
      // The stream ends with `complete` on its own: res.text() resolves only when the server ends it.
      expect(await text).toContain('event: complete');
    } finally {
      controller.abort();
    }
  });

  it('shows a webhook URL whole only to admin keys: other keys see its host, not its token', async () => {
    const hook = 'https://hooks.slack.com/services/T000/B000/SECRETTOKEN';
    const created = await send(
      keys.admin,
      'mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id channels { webhook } } }',
      {
        input: {
          name: 'beta failing',
          kind: 'THRESHOLD',
          series: { measure: 'FAIL_RATE' },
          operator: 'GT',
          threshold: 0.99,
          filter: { project: ['beta'] },
          channels: [{ webhook: hook, format: 'SLACK' }],
        },
      },
    );
    const rule = created.body.data?.['createAlertRule'] as { id: string; channels: { webhook: string }[] };
    expect(rule.channels).toEqual([{ webhook: hook }]);
    const read = '{ alertRules { channels { webhook } } }';
    for (const key of [keys.readBeta, keys.readAll]) {
      const r = await send(key, read);
      expect(r.body).toEqual({
        data: { alertRules: [{ channels: [{ webhook: 'https://hooks.slack.com/…' }] }] },
      });
      const one = await send(key, 'query($id: ID!) { alertRule(id: $id) { channels { webhook } } }', {
        id: rule.id,
      });
      expect(JSON.stringify(one.body)).not.toContain('SECRETTOKEN');
    }
    expect((await send(keys.admin, read)).body).toEqual({
      data: { alertRules: [{ channels: [{ webhook: hook }] }] },
    });
  });
});
