import { UsageError } from './args.ts';
import { CLEANUP_USAGE, cleanupCommand } from './cleanup.ts';
import { EXPORT_USAGE, exportCommand } from './export.ts';
import { GATE_USAGE, gateCommand } from './gate.ts';
import { INGEST_USAGE, ingestCommand } from './ingest.ts';
import { REPORT_USAGE, reportCommand } from './report.ts';
import { DEMO_USAGE, demoCommand } from './demo.ts';
import { SERVE_USAGE, serveCommand } from './serve.ts';

const COMMANDS: Readonly<Record<string, { usage: string; run: (args: readonly string[], out: (l: string) => void) => Promise<number> }>> = {
  serve: { usage: SERVE_USAGE, run: serveCommand },
  demo: { usage: DEMO_USAGE, run: demoCommand },
  ingest: { usage: INGEST_USAGE, run: ingestCommand },
  report: { usage: REPORT_USAGE, run: reportCommand },
  gate: { usage: GATE_USAGE, run: gateCommand },
  cleanup: { usage: CLEANUP_USAGE, run: cleanupCommand },
  export: { usage: EXPORT_USAGE, run: exportCommand },
};

const USAGE = `assay: a GraphQL analytics gateway for test results

Commands:
${Object.values(COMMANDS).map((c) => `  ${c.usage.split('\n')[0]}`).join('\n')}

Run \`assay <command> --help\` for a command's options.`;

/** Runs the `assay` command line; returns the process exit code. */
export async function main(argv: readonly string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`assay: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, out);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`assay ${name}: ${err.message}\n\n${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`assay ${name}: ${(err as Error).message}\n`);
    return 1;
  }
}
