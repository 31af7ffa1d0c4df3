import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
 * at `/` and `/dashboard/*`. Nothing is fetched at run time.
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
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildDashboard();
}
