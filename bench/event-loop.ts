/**
 * How long the gateway's event loop stalls while a large report is uploaded:
 * a JUnit XML report of 50,000 test cases (about 19 MB, failures with stack
 * traces) is POSTed to /ingest/junit while /healthz is asked every 20 ms.
 * Prints the longest event-loop delay and the slowest /healthz answer.
 *
 *   node --import tsx bench/event-loop.ts [cases=50000]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../src/server/app.ts';

const cases = Number(process.argv[2] ?? 50_000);

function report(n: number): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  for (let s = 0; s < n / 100; s++) {
    out.push(`<testsuite name="suite.S${s}" timestamp="2026-11-01T10:00:00" hostname="ci-${s % 8}">`);
    for (let c = 0; c < 100; c++) {
      const open = `<testcase classname="com.acme.S${s}.Class${c % 7}" name="test number ${c} of suite ${s}" time="0.${c}"`;
      if (c % 10 === 3) {
        const trace = Array.from(
          { length: 30 },
          (_, i) => `\tat com.acme.S${s}.Frame${i}(Frame.java:${i})`,
        ).join('\n');
        out.push(
          `${open}><failure message="expected 1 but was 2" type="AssertionError">${trace}</failure></testcase>`,
        );
      } else out.push(`${open}/>`);
    }
    out.push('</testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n');
}

const app = await createApp({ db: ':memory:', logLevel: 'silent', port: 0 });
const base = (await app.listen()).replace(/\/graphql$/, '');
const body = report(cases);
console.log(`report: ${cases} test cases, ${(body.length / 2 ** 20).toFixed(1)} MiB`);

const loop = monitorEventLoopDelay({ resolution: 5 });
let healthMax = 0;
let healthCount = 0;
const upload = { running: true };
const poll = (async () => {
  while (upload.running) {
    const t = performance.now();
    await fetch(`${base}/healthz`).then((r) => r.text());
    healthMax = Math.max(healthMax, performance.now() - t);
    healthCount++;
    await new Promise((r) => setTimeout(r, 20));
  }
})();
loop.enable();
const started = performance.now();
const res = await fetch(`${base}/ingest/junit?project=bench&branch=main`, {
  method: 'POST',
  body,
  headers: { 'content-type': 'application/xml' },
});
const summary = (await res.json()) as { accepted?: number };
const ms = performance.now() - started;
upload.running = false;
await poll;
loop.disable();
console.log(
  `upload: ${res.status}, ${summary.accepted ?? '?'} stored in ${(ms / 1000).toFixed(1)} s; ` +
    `event loop max delay ${(loop.max / 1e6).toFixed(0)} ms (p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms); ` +
    `/healthz slowest ${healthMax.toFixed(0)} ms over ${healthCount} asks`,
);
await app.close();
