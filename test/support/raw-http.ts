import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The bytes as sent, before any content coding is undone. */
  readonly bytes: Buffer;
  /** The body with its content coding (br, gzip) undone, as text. */
  readonly text: string;
}

/**
 * One HTTP request with node:http, which (unlike fetch) sends no Accept-Encoding of its own and
 * hands back the bytes as they came: what compression and ETag tests need to see.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const coding = res.headers['content-encoding'];
        const plain =
          coding === 'br' ? brotliDecompressSync(bytes) : coding === 'gzip' ? gunzipSync(bytes) : bytes;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, text: plain.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A GraphQL POST over raw HTTP. */
export const postQuery = (
  url: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> =>
  rawRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
