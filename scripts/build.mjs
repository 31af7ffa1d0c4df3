#!/usr/bin/env node
/**
 * Builds the `assay` command into dist/ (run by `npm install` as the prepare
 * script, and by `npm start`): esbuild bundles src/cli with our sources
 * compiled once, so a command does not compile TypeScript each time it runs.
 * Packages stay external (one copy of graphql, the native DuckDB binding
 * where npm put it); each command's heavy modules load in their own chunk
 * when the command runs, so `assay --help` stays cheap.
 *
 *   node scripts/build.mjs [--outdir DIR] [--metafile]
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Builds into `outdir`; with `metafile`, also writes its meta.json (what imports what). */
export async function build({ outdir = join(ROOT, 'dist'), metafile = false } = {}) {
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: { main: 'src/cli/main.ts', bin: 'src/cli/bin.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
  });
  // Files are overwritten in place, not the directory replaced, so a running `assay serve` keeps its
  // chunks; chunks of earlier builds are removed afterwards.
  const built = new Set(Object.keys(result.metafile.outputs).map((f) => resolve(ROOT, f)));
  if (metafile) {
    writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
    built.add(join(outdir, 'meta.json'));
  }
  for (const f of readdirSync(outdir, { recursive: true, encoding: 'utf8' })) {
    const path = join(outdir, f);
    if (/\.js(\.map)?$|\.json$/.test(f) && !built.has(path)) rmSync(path);
  }
  return outdir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--outdir');
  const outdir = await build({
    ...(at >= 0 && args[at + 1] && { outdir: resolve(args[at + 1]) }),
    metafile: args.includes('--metafile'),
  });
  process.stderr.write(`assay: built ${outdir}\n`);
}
