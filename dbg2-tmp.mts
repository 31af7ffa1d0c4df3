import { createApp } from './src/server/app.ts';
const app = await createApp({ db: '/tmp/demo-dbg.duckdb', logLevel: 'silent', port: 0 });
const q = async (query: string) => {
  const r = await app.yoga.fetch('http://x/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await r.json()) as any;
};
const r = await q('{ failurePatterns(first: 100) { pattern occurrences tests correlations { dimension tag value share baselineShare lift } } }');
for (const p of r.data.failurePatterns) console.log(p.occurrences, p.tests, p.pattern.slice(0, 110), '|', p.correlations.slice(0, 3).map((c: any) => `${c.dimension ?? c.tag}=${c.value} ${c.share.toFixed(2)} ${c.lift.toFixed(1)}`).join('; '));
await app.close();
