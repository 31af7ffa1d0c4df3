import { createApp, type App, type AppConfig } from '../../src/server/app.ts';

export interface GqlResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

/**
 * The instant every test app lives at unless a test says otherwise: after every fixture's
 * dates, so no test depends on the day it runs.
 */
export const TEST_NOW = new Date('2026-11-22T00:00:00Z');

/** A fresh in-memory gateway (not listening) at TEST_NOW; close it in afterAll/afterEach. */
export function testApp(config: AppConfig = {}): Promise<App> {
  return createApp({
    db: ':memory:',
    logLevel: 'silent',
    port: 0,
    readers: 2,
    now: () => TEST_NOW,
    ...config,
  });
}

/** Sends one operation through Yoga in-process (the real schema, plugins and masking). */
export async function gql<T = Record<string, unknown>>(
  app: App,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlResponse<T>> {
  const res = await app.yoga.fetch('http://assay.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResponse<T>;
}

/** Like gql, but fails the test on any GraphQL error and returns data. */
export async function data<T = Record<string, unknown>>(
  app: App,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const r = await gql<T>(app, query, variables);
  if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data as T;
}

export const INGEST = `mutation Ingest($input: IngestInput!) {
  ingest(input: $input) { run { id project branch commit startedAt executions passed failed flaky skipped passRate } accepted duplicates rejected errors { index field message } dataVersion }
}`;
