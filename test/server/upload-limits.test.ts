import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_LIMITS } from '../../src/ingest/index.ts';
import { readMultipart } from '../../src/server/multipart.ts';
import type { App } from '../../src/server/app.ts';
import { testApp } from '../support/app.ts';

const BOUNDARY = 'assay-test-boundary';
const MIB = 2 ** 20;

/** A JUnit report of one passing test whose <system-out> pads it to about `bytes`. */
function paddedReport(bytes: number): Buffer {
  const head =
    '<testsuite name="big"><testcase classname="Big" name="carries a large log" time="0.5"><system-out>';
  const tail = '</system-out></testcase></testsuite>\n';
  return Buffer.concat([Buffer.from(head), Buffer.alloc(bytes, 'x'), Buffer.from(tail)]);
}

/** A multipart/form-data body of fields, then files, as the GraphQL multipart request spec orders them. */
function multipartBody(fields: Record<string, string>, files: Record<string, [string, Buffer]>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(
      Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  for (const [name, [filename, bytes]] of Object.entries(files)) {
    parts.push(
      Buffer.from(
        `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"; filename="${filename}"\r\ncontent-type: application/xml\r\n\r\n`,
      ),
      bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

const OPERATIONS = JSON.stringify({
  query:
    'mutation($file: File!) { ingestJUnit(file: $file, project: "big", branch: "main") { tests attempts passed } }',
  variables: { file: null },
});

/** Posts headers claiming `length` bytes and a first chunk, and reads what the server answers. */
function postClaiming(url: string, length: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'content-length': String(length),
        'apollo-require-preflight': 'true',
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.write(`--${BOUNDARY}\r\n`);
  });
}

let app: App;
let base: string;
beforeAll(async () => {
  app = await testApp();
  base = (await app.listen()).replace(/\/graphql$/, '');
});
afterAll(() => app.close());

describe('upload limits', () => {
  it('accepts a GraphQL multipart upload over Yoga’s 25 MB default and under the limit', async () => {
    const body = multipartBody(
      { operations: OPERATIONS, map: JSON.stringify({ 0: ['variables.file'] }) },
      { 0: ['big.xml', paddedReport(30 * MIB)] },
    );
    expect(body.length).toBeGreaterThan(25_000_000);
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      body: new Uint8Array(body),
      headers: {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'apollo-require-preflight': 'true',
      },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { ingestJUnit: { tests: 1, attempts: 1, passed: 1 } } });
  });

  it.each(['/graphql', '/ingest/junit?project=big'])(
    'refuses a body over REPORT_LIMITS.maxBytes on %s with 413 naming the limit',
    async (path) => {
      const res = await postClaiming(`${base}${path}`, REPORT_LIMITS.maxBytes + 1);
      expect(res.status).toBe(413);
      expect(res.body).toContain('PAYLOAD_TOO_LARGE');
      expect(res.body).toContain('upload limit of 200 MiB');
    },
  );
});

describe('readMultipart', () => {
  it('hands a file’s first bytes to its reader before the rest of the body is sent', async () => {
    const body = multipartBody({ note: 'hi' }, { file: ['a.xml', Buffer.from('first|second')] });
    const cut = body.indexOf('|') + 1;
    let released: () => void = () => undefined;
    const rest = new Promise<void>((resolve) => (released = resolve));
    const events: string[] = [];
    async function* sender(): AsyncGenerator<Uint8Array> {
      yield body.subarray(0, cut);
      await rest;
      events.push('rest sent');
      yield body.subarray(cut);
    }
    const seen: string[] = [];
    for await (const part of readMultipart(sender(), `multipart/form-data; boundary=${BOUNDARY}`, MIB)) {
      if (part.kind === 'field') {
        seen.push(`${part.name}=${part.value}`);
        continue;
      }
      let text = '';
      for await (const chunk of part.chunks) {
        text += Buffer.from(chunk).toString();
        if (text === 'first|') {
          events.push('first bytes read');
          released();
        }
      }
      seen.push(`${part.filename}:${text}`);
    }
    expect(events).toEqual(['first bytes read', 'rest sent']);
    expect(seen).toEqual(['note=hi', 'a.xml:first|second']);
  });

  it('refuses a body without a length once it grows past the limit, naming the limit', async () => {
    const body = multipartBody({}, { file: ['a.xml', Buffer.alloc(4096, 'x')] });
    async function* chunked(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < body.length; i += 512) yield body.subarray(i, i + 512);
    }
    const read = async () => {
      for await (const part of readMultipart(chunked(), `multipart/form-data; boundary=${BOUNDARY}`, 2048))
        if (part.kind === 'file') for await (const _ of part.chunks);
    };
    await expect(read()).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('upload limit of 2048 bytes'),
    });
  });
});
