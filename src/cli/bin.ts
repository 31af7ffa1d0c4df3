// The built command's entry (dist/bin.js, run by bin/assay.mjs).
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
