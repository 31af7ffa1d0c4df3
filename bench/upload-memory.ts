/**
 * Peak resident memory of the gateway while it takes a large multipart
 * upload: a JUnit report of 1,000 test cases whose <system-out> logs pad it
 * to about `mb` MB, sent as multipart/form-data (generated as it is sent, so
 * the client holds none of it) either to /ingest/junit or as the `File` of
 * the ingestJUnit mutation. Prints the RSS before and the peak during.
 * Run each path in its own process: the peak is the process's.
 *
 *   node --import tsx bench/upload-memory.ts [ingest|graphql] [mb=190]
 */
import { once } from 'node:events';
import { request } from 'node:http';
import { createApp } from '../src/server/app.ts';

const path = process.argv[2] === 'graphql' ? 'graphql' : 'ingest';
const mb = Number(process.argv[3] ?? 190);
const BOUNDARY = 'assay-bench-boundary';
const CASES = 1_000;
const MiB = 2 ** 20;

/** The multipart body, chunk by chunk: fields, then the report file, then the closing boundary. */
async function* body(): AsyncGenerator<Uint8Array> {
  const enc = new TextEncoder();
  if (path === 'graphql') {
    const operations = JSON.stringify({
      query:
        'mutation($file: File!) { ingestJUnit(file: $file, project: "bench", branch: "main") { tests attempts } }',
      variables: { file: null },
    });
    for (const [name, value] of [
      ['operations', operations],
      ['map', JSON.stringify({ 0: ['variables.file'] })],
    ])
      yield enc.encode(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  }
  const field = path === 'graphql' ? '0' : 'file';
  yield enc.encode(
    `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${field}"; filename="big.xml"\r\ncontent-type: application/xml\r\n\r\n`,
  );
  yield enc.encode('<testsuite name="big" timestamp="2026-11-01T10:00:00">\n');
  const log = enc.encode(`${'log line of a chatty test '.repeat(40)}\n`);
  const perCase = Math.ceil((mb * 1e6) / CASES / log.length);
  for (let i = 0; i < CASES; i++) {
    yield enc.encode(`<testcase classname="Big" name="case ${i}" time="0.1"><system-out>`);
    for (let j = 0; j < perCase; j++) yield log;
    yield enc.encode('</system-out></testcase>\n');
  }
  yield enc.encode(`</testsuite>\r\n--${BOUNDARY}--\r\n`);
}

const app = await createApp({ db: ':memory:', logLevel: 'silent', port: 0 });
const base = (await app.listen()).replace(/\/graphql$/, '');
const rss = () => process.memoryUsage.rss() / MiB;
const before = rss();
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
let length = 0;
for await (const chunk of body()) length += chunk.length;
const started = performance.now();
// node:http rather than fetch, to send the Content-Length the old multipart path required.
const { status, answer } = await new Promise<{ status: number; answer: string }>((resolve, reject) => {
  const req = request(path === 'graphql' ? `${base}/graphql` : `${base}/ingest/junit?project=bench`, {
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      'content-length': String(length),
      'apollo-require-preflight': 'true',
    },
  });
  req.on('response', (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, answer: text }));
  });
  req.on('error', reject);
  void (async () => {
    for await (const chunk of body()) if (!req.write(chunk)) await once(req, 'drain');
    req.end();
  })();
});
clearInterval(sampler);
peak = Math.max(peak, rss(), process.resourceUsage().maxRSS / 1024);
console.log(
  `${path}: ${mb} MB multipart upload answered ${status} in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
    `RSS ${before.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB (+${(peak - before).toFixed(0)} MiB)`,
);
if (status !== 200) console.log(answer.slice(0, 400));
await app.close();
