import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { App } from '../../src/server/app.ts';
import { testApp } from '../support/app.ts';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/reports/${path}`, import.meta.url));

let app: App;
let base: string;
const keys = { admin: '', ingestShop: '', readShop: '' };
beforeAll(async () => {
  app = await testApp({ auth: true, rateLimit: null });
  base = (await app.listen()).replace(/\/graphql$/, '');
  keys.admin = (await app.keys.create({ name: 'ops', scope: 'admin', projects: null })).secret;
  keys.ingestShop = (
    await app.keys.create({ name: 'collector', scope: 'ingest', projects: ['shop'] })
  ).secret;
  keys.readShop = (await app.keys.create({ name: 'team', scope: 'read', projects: ['shop'] })).secret;
});
afterAll(async () => {
  await app.close();
});

const post = (
  query: string,
  body: Uint8Array | string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  key: string | null = keys.ingestShop,
  path = '/v1/traces',
) =>
  fetch(`${base}${path}?${query}`, {
    method: 'POST',
    headers: { ...headers, ...(key && { authorization: `Bearer ${key}` }) },
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
  });

async function graphql<T>(query: string): Promise<T> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.admin}` },
    body: JSON.stringify({ query }),
  });
  const out = (await res.json()) as { data?: T; errors?: unknown };
  expect(out.errors).toBeUndefined();
  return out.data as T;
}

describe('POST /v1/traces (OTLP/HTTP, JSON encoding)', () => {
  it('stores a gzipped export as the collector sends it, answers OTLP partial success, and the results are queryable', async () => {
    const res = await post('project=shop', gzipSync(fixture('otlp/ci-pipeline.json')), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    // 9 spans: the pipeline, job and two suite spans carry no test.case.name.
    expect(body.partialSuccess.rejectedSpans).toBe('4');
    expect(body.partialSuccess.errorMessage).toContain('4 span(s) carry no test.case.name');

    const { runs } = await graphql<{
      runs: { edges: { node: Record<string, unknown> }[] };
    }>(
      '{ runs(filter: { project: ["shop"], from: "2025-01-01T00:00:00Z" }) { edges { node { branch commit executions passed failed flaky skipped tags } } } }',
    );
    expect(runs.edges.map((e) => e.node)).toEqual([
      {
        branch: 'main',
        commit: '3f2c1a9e8b7d6c5f4a3b2c1d0e9f8a7b6c5d4e3f',
        executions: 4,
        passed: 2,
        failed: 1,
        flaky: 1,
        skipped: 1,
        tags: expect.objectContaining({ 'cicd.pipeline.run.id': '9753949763', tool: 'otlp' }) as unknown,
      },
    ]);
    const { results } = await graphql<{
      results: { edges: { node: { attempt: number; status: string; durationMs: number; worker: string } }[] };
    }>(
      '{ results(filter: { project: ["shop"], testName: ["cart applies a discount"], from: "2025-01-01T00:00:00Z" }) { edges { node { attempt status durationMs worker } } } }',
    );
    expect(results.edges.map((e) => e.node).sort((a, b) => a.attempt - b.attempt)).toEqual([
      { attempt: 1, status: 'FAILED', durationMs: 3000, worker: 'runner-7' },
      { attempt: 2, status: 'PASSED', durationMs: 300, worker: 'runner-7' },
    ]);
  });

  it('stores each trace of a batch as its own run when no cicd.pipeline.run.id joins them', async () => {
    const span = (traceId: string, name: string) => ({
      traceId,
      spanId: '00f067aa0ba902b7',
      name,
      startTimeUnixNano: '1764669600000000000',
      endTimeUnixNano: '1764669600250000000',
      attributes: [
        { key: 'test.case.name', value: { stringValue: name } },
        { key: 'test.case.result.status', value: { stringValue: 'pass' } },
      ],
    });
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'test.suite.name', value: { stringValue: 'api' } }] },
          scopeSpans: [
            {
              spans: [
                span('0af7651916cd43dd8448eb211c80319c', 'a'),
                span('4bf92f3577b34da6a3ce929d0e0e4736', 'b'),
              ],
            },
          ],
        },
      ],
    });
    const res = await post('project=admin-only&branch=main', body, undefined, keys.admin);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const { runs } = await graphql<{ runs: { totalCount: number } }>(
      '{ runs(filter: { project: ["admin-only"], from: "2025-01-01T00:00:00Z" }) { totalCount } }',
    );
    expect(runs.totalCount).toBe(2);
  });

  it('stores nothing for a CI trace without test spans and says so (a real githubreceiver job trace: 10 spans)', async () => {
    const before = (await app.store.counts()).results;
    const res = await post('project=shop', fixture('otlp/githubreceiver-workflow-job.json'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '10',
        errorMessage: 'no span carries test.case.name: nothing was stored',
      },
    });
    expect((await app.store.counts()).results).toBe(before);
  });

  it('refuses OTLP/protobuf with 415 saying to send JSON, here and at /ingest/otlp', async () => {
    for (const path of ['/v1/traces', '/ingest/otlp']) {
      const res = await post(
        'project=shop',
        new Uint8Array([10, 0]),
        { 'content-type': 'application/x-protobuf' },
        keys.ingestShop,
        path,
      );
      expect(res.status).toBe(415);
      const body = (await res.json()) as { code: number; message: string };
      expect(body.message).toContain('send OTLP/JSON with content-type application/json');
      expect(body.message).toContain('encoding: json');
    }
  });

  it('answers a malformed export with 400 and an OTLP Status naming the problem', async () => {
    const res = await post(
      'project=shop',
      '{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": 7}]}]}]}',
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      code: 3,
      message: 'the request: resourceSpans[0].scopeSpans[0].spans[0].traceId must be a string (got number 7)',
    });
  });

  it('needs the ingest scope on the project (401 without a key, 403 for a read key or another project)', async () => {
    const body = fixture('otlp/ci-pipeline.json');
    expect((await post('project=shop', body, undefined, null)).status).toBe(401);
    expect((await post('project=shop', body, undefined, keys.readShop)).status).toBe(403);
    expect((await post('project=other', body, undefined, keys.ingestShop)).status).toBe(403);
  });

  it('imports one run at POST /ingest/otlp with the upload summary', async () => {
    const res = await post(
      'project=shop&run=upload-1',
      fixture('otlp/ci-pipeline.json'),
      undefined,
      keys.ingestShop,
      '/ingest/otlp',
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      format: 'otlp',
      tests: 4,
      passed: 2,
      failed: 1,
      skipped: 1,
      flaky: 1,
    });
  });

  it('`assay ingest traces.json` tells OTLP by its content and sends it to the server', async () => {
    const file = fileURLToPath(new URL('../fixtures/reports/otlp/ci-pipeline.json', import.meta.url));
    vi.stubEnv('ASSAY_API_KEY', keys.ingestShop);
    try {
      const lines: string[] = [];
      const args = ['ingest', file, '--project', 'shop', '--run-id', 'cli-1', '--server', base];
      expect(await main(args, (l) => lines.push(l))).toBe(0);
      expect(lines.join('\n')).toContain(
        '(otlp): 4 tests: 2 passed (1 flaky), 1 failed, 1 skipped; 5 attempts',
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
