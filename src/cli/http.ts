/** What came back from one request. */
export interface HttpAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly text: string;
}

/**
 * One HTTP request through node:http(s). Not fetch: loading undici costs a
 * command more CPU than the rest of its start-up (about 0.1 s), and the CLI
 * makes one or two plain JSON requests. Rejects when no answer comes.
 */
export async function httpRequest(
  url: URL,
  {
    body,
    timeoutMs,
    key = process.env['ASSAY_API_KEY'],
  }: { body?: string; timeoutMs?: number; key?: string | undefined } = {},
): Promise<HttpAnswer> {
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const headers: Record<string, string | number> = { accept: 'application/json' };
  // A gateway with API keys on (assay serve --auth, or beyond loopback) takes the key from the environment.
  if (key) headers['authorization'] = `Bearer ${key}`;
  if (body !== undefined)
    Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  return new Promise((resolve, reject) => {
    const req = request(url, { method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    if (timeoutMs !== undefined)
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.end(body);
  });
}
