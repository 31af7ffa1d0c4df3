#!/usr/bin/env node
// The `assay` command. It runs the JavaScript `npm install` built into dist/
// (the prepare script, scripts/build.mjs), so no TypeScript is compiled per call.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  // Installed with --ignore-scripts, or dist/ deleted: build it once now.
  process.stderr.write('assay: dist/ is missing; building it (npm run build)…\n');
  const { build } = await import('../scripts/build.mjs');
  await build();
}
await import(entry.href);
