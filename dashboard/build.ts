import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface BuildOptions {
  /** @default dashboard/dist */
  readonly outdir?: string;
  /** @default true */
  readonly minify?: boolean;
}

/**
 * Bundles the dashboard (TypeScript, uPlot, the graphql-ws client and the CSS) into
 * `dist/`: index.html at its root, app.js and app.css beside it, served by the gateway
 * at `/` and `/dashboard/*`, with br and gzip copies of the larger ones. Nothing is fetched at
 * run time.
 */
export async function buildDashboard({
  outdir = join(HERE, 'dist'),
  minify = true,
}: BuildOptions = {}): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { app: join(HERE, 'src/main.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  copyFileSync(join(HERE, 'index.html'), join(outdir, 'index.html'));
  precompress(outdir);
}

/**
 * Writes `<file>.br` (quality 11) and `<file>.gz` (level 9) beside each script, stylesheet and page
 * of at least 1 KiB, which the gateway sends to browsers that accept them
 * (src/server/dashboard.ts): compressed once here at the highest levels, never per request.
 */
function precompress(outdir: string): void {
  for (const name of readdirSync(outdir)) {
    const path = join(outdir, name);
    if (!/\.(js|css|html)$/.test(name) || statSync(path).size < 1024) continue;
    const body = readFileSync(path);
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
    writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildDashboard();
}
