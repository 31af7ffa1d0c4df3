import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/server/app.ts';
import { createLogger } from '../../src/server/logger.ts';
import { INGEST, TEST_NOW } from '../support/app.ts';
import { rawRequest } from '../support/raw-http.ts';
import { RUN_A } from '../support/fixtures.ts';

// Prometheus metrics over real HTTP: what a scrape says after known traffic.
let app: App;
let url: string;

beforeAll(async () => {
  app = await createApp({ db: ':memory:', port: 0, logLevel: 'silent', readers: 2, now: () => TEST_NOW });
  url = await app.listen();
});
afterAll(() => app.close());

const post = (body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.json());

/** The value of one series in the exposition, or undefined. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('counts requests, operations by name and outcome, ingest, DuckDB statements and the process, in the Prometheus text format', async () => {
    await post({ query: INGEST, operationName: 'Ingest', variables: { input: RUN_A } });
    await post({ query: 'query Counts { gateway { runs } }', operationName: 'Counts' });
    await post({
      query: 'query Bad { test(id: "nope") { history(last: -1) { id } } }',
      operationName: 'Bad',
    });
    await app.alerts.idle();
    const res = await fetch(url.replace(/\/graphql$/, '/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(value(text, 'assay_http_requests_total{route="graphql",status="200"}')).toBe(3);
    expect(
      value(text, 'assay_graphql_operations_total{operation="Ingest",type="mutation",outcome="ok"}'),
    ).toBe(1);
    expect(value(text, 'assay_graphql_operations_total{operation="Counts",type="query",outcome="ok"}')).toBe(
      1,
    );
    expect(value(text, 'assay_graphql_operations_total{operation="Bad",type="query",outcome="error"}')).toBe(
      1,
    );
    expect(value(text, 'assay_graphql_operation_duration_seconds_count{operation="Counts"}')).toBe(1);
    // RUN_A: one batch of six results.
    expect(value(text, 'assay_ingest_batches_total')).toBe(1);
    expect(value(text, 'assay_ingest_results_total')).toBe(6);
    expect(value(text, 'assay_data_version')).toBe(1);
    expect(value(text, 'assay_duckdb_statements')).toBeGreaterThan(0);
    expect(value(text, 'assay_subscribers{topic="alert"}')).toBe(0);
    expect(value(text, 'assay_events_dropped')).toBe(0);
    expect(value(text, 'assay_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('assay_nodejs_eventloop_lag_seconds ');
    // What holds memory: the in-memory database's tables are DuckDB's, and both caches say their bytes.
    const duckdb = text
      .split('\n')
      .filter((l) => l.startsWith('assay_duckdb_memory_bytes{') && l.includes('where="memory"'))
      .map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)));
    expect(duckdb.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(value(text, 'assay_cache_bytes{cache="query"}')).toBeGreaterThanOrEqual(0);
    expect(value(text, 'assay_cache_bytes{cache="response"}')).toBeGreaterThanOrEqual(0);
  });

  it('compresses the exposition with br or gzip as Accept-Encoding asks, and sends it plain otherwise', async () => {
    const metricsUrl = url.replace(/\/graphql$/, '/metrics');
    for (const [accept, coding] of [
      ['gzip', 'gzip'],
      ['br;q=1, gzip;q=0.5', 'br'],
      ['identity', undefined],
    ] as const) {
      const res = await rawRequest(metricsUrl, { headers: { 'accept-encoding': accept } });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.headers['vary']).toBe('Accept-Encoding');
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      // The text undone from its coding is the exposition, and the coded bytes are fewer.
      expect(res.text).toContain('# TYPE assay_http_requests_total counter');
      if (coding) expect(res.bytes.length).toBeLessThan(Buffer.byteLength(res.text) / 2);
      else expect(res.bytes.toString('utf8')).toBe(res.text);
    }
  });
});

describe('request logs', () => {
  it('writes one line per request with its id, route, status, operation and cache outcome, and sends the id back', async () => {
    const lines: string[] = [];
    const logged = await createApp({
      db: ':memory:',
      port: 0,
      readers: 2,
      now: () => TEST_NOW,
      log: createLogger('info', (l) => lines.push(l)),
    });
    try {
      const endpoint = await logged.listen();
      const ask = (id?: string) =>
        fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(id && { 'x-request-id': id }) },
          body: JSON.stringify({
            query: 'query Runs { runs(first: 1) { totalCount } }',
            operationName: 'Runs',
          }),
        });
      const first = await ask('ci-42');
      expect(first.headers.get('x-request-id')).toBe('ci-42');
      await first.text();
      const second = await ask('not a valid id!');
      expect(second.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      await second.text();
      // A line is written when the server's side of the response closes, which may come just after the client has read it.
      const parsed = () =>
        lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'request');
      await vi.waitFor(() => expect(parsed()).toHaveLength(2));
      const requests = parsed();
      expect(requests[0]).toMatchObject({
        level: 'info',
        id: 'ci-42',
        method: 'POST',
        route: 'graphql',
        status: 200,
        operation: 'Runs',
        outcome: 'ok',
      });
      expect(requests[0]!['ms']).toEqual(expect.any(Number));
      // The repeat is answered from the response cache, without executing.
      expect(requests[1]).toMatchObject({ route: 'graphql', status: 200, cache: 'hit' });
      expect(requests[1]).not.toHaveProperty('operation');
      expect(lines.join('\n')).not.toContain('totalCount');
    } finally {
      await logged.close();
    }
  });
});
