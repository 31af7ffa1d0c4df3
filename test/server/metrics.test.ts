import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/server/app.ts';
import { INGEST, TEST_NOW } from '../support/app.ts';
import { RUN_A } from '../support/fixtures.ts';

// Prometheus metrics over real HTTP: what a scrape says after known traffic.
let app: App;
let url: string;

beforeAll(async () => {
  app = await createApp({ db: ':memory:', port: 0, logLevel: 'silent', readers: 2, now: () => TEST_NOW });
  url = await app.listen();
});
afterAll(() => app.close());

const post = (body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());

/** The value of one series in the exposition, or undefined. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('counts requests, operations by name and outcome, ingest, DuckDB statements and the process, in the Prometheus text format', async () => {
    await post({ query: INGEST, operationName: 'Ingest', variables: { input: RUN_A } });
    await post({ query: 'query Counts { gateway { runs } }', operationName: 'Counts' });
    await post({ query: 'query Bad { test(id: "nope") { history(last: -1) { id } } }', operationName: 'Bad' });
    await app.alerts.idle();
    const res = await fetch(url.replace(/\/graphql$/, '/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(value(text, 'assay_http_requests_total{route="graphql",status="200"}')).toBe(3);
    expect(value(text, 'assay_graphql_operations_total{operation="Ingest",type="mutation",outcome="ok"}')).toBe(1);
    expect(value(text, 'assay_graphql_operations_total{operation="Counts",type="query",outcome="ok"}')).toBe(1);
    expect(value(text, 'assay_graphql_operations_total{operation="Bad",type="query",outcome="error"}')).toBe(1);
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
  });
});
