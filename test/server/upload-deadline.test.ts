import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { INGEST, data, testApp, type GqlResponse } from '../support/app.ts';
import { RUN_A } from '../support/fixtures.ts';

// The request deadline and GraphQL multipart uploads: the body's transfer does not count
// (a large report over a slow link is bounded by the body limit, as /ingest/* uploads are),
// what the resolver does after the last byte does.

/** Long enough for a warm one-test import on a loaded machine; the upload pauses longer. */
const TIMEOUT_MS = 1500;
const BOUNDARY = 'assay-deadline-boundary';
const REPORT =
  '<testsuite name="slow"><testcase classname="Slow" name="arrives in pieces" time="0.5"/></testsuite>\n';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The multipart body of one ingestJUnit upload, cut into head (fields and file header), file bytes and tail. */
function uploadParts(project: string): { head: string; file: string; tail: string } {
  const operations = JSON.stringify({
    query: `mutation($file: File!) { ingestJUnit(file: $file, project: "${project}", branch: "main") { tests passed } }`,
    variables: { file: null },
  });
  const field = (name: string, value: string) =>
    `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  return {
    head:
      field('operations', operations) +
      field('map', JSON.stringify({ 0: ['variables.file'] })) +
      `--${BOUNDARY}\r\ncontent-disposition: form-data; name="0"; filename="r.xml"\r\ncontent-type: application/xml\r\n\r\n`,
    file: REPORT,
    tail: `\r\n--${BOUNDARY}--\r\n`,
  };
}

/**
 * Posts an upload whose body this test sends in pieces: the fields and half the file, then, once
 * the server has taken the request (and started any deadline it would run from the first byte),
 * a pause past the deadline before the rest. Timers of one length fire in the order they were
 * set, so a deadline running from the first byte would have answered 504 during the pause.
 */
function slowUpload(app: App, url: string, project: string, pauseMs: number) {
  const { head, file, tail } = uploadParts(project);
  const half = Math.floor(file.length / 2);
  const taken = new Promise<void>((resolve) => app.server.once('request', () => resolve()));
  return new Promise<{ status: number; body: GqlResponse }>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'apollo-require-preflight': 'true',
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as GqlResponse }));
    });
    req.on('error', reject);
    req.write(head + file.slice(0, half));
    void taken.then(() => sleep(pauseMs)).then(() => req.end(file.slice(half) + tail));
  });
}

describe('the request deadline of a GraphQL multipart upload', () => {
  let app: App;
  let url: string;
  /** While set, every ingest transaction waits for it before COMMIT. */
  let held: Promise<void> | null = null;
  beforeAll(async () => {
    app = await testApp({ requestTimeoutMs: TIMEOUT_MS, beforeCommit: () => held ?? undefined });
    url = await app.listen();
    // A first import warms the writer, so the timed part of the upload below is a warm import.
    await data(app, INGEST, { input: RUN_A });
  });
  afterAll(() => app.close());

  it('does not count the body transfer: a body sent slower than the deadline is imported', async () => {
    const res = await slowUpload(app, url, 'slow', TIMEOUT_MS + 100);
    expect(res.body.errors).toEqual(undefined);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ ingestJUnit: { tests: 1, passed: 1 } });
  });

  it('still bounds what the resolver does after the last byte', async () => {
    let release = (): void => undefined;
    held = new Promise<void>((resolve) => (release = resolve));
    try {
      const res = await slowUpload(app, url, 'stuck', 0);
      expect(res.status).toBe(504);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('TIMEOUT');
    } finally {
      held = null;
      release();
    }
    await app.alerts.idle();
  });
});
