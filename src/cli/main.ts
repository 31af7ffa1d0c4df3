import { UsageError } from './args.ts';
import { EXIT, UnavailableError } from './exit.ts';

type Out = (line: string) => void;
/** The clock a command reads (slice windows, retention cut-offs, upload times, the demo's end): tests pass the time in. */
type Clock = () => Date;
interface Command {
  readonly usage: string;
  run(args: readonly string[], out: Out, now: Clock): Promise<number>;
}

// Each command's module loads only when it is named (or for --help), and keeps its heavy
// imports (DuckDB, the GraphQL server) inside the code that runs it: help costs no more than Node.
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  serve: async () => {
    const m = await import('./serve.ts');
    return { usage: m.SERVE_USAGE, run: m.serveCommand };
  },
  demo: async () => {
    const m = await import('./demo.ts');
    return { usage: m.DEMO_USAGE, run: m.demoCommand };
  },
  ingest: async () => {
    const m = await import('./ingest.ts');
    return { usage: m.INGEST_USAGE, run: m.ingestCommand };
  },
  report: async () => {
    const m = await import('./report.ts');
    return { usage: m.REPORT_USAGE, run: m.reportCommand };
  },
  gate: async () => {
    const m = await import('./gate.ts');
    return { usage: m.GATE_USAGE, run: m.gateCommand };
  },
  cleanup: async () => {
    const m = await import('./cleanup.ts');
    return { usage: m.CLEANUP_USAGE, run: m.cleanupCommand };
  },
  export: async () => {
    const m = await import('./export.ts');
    return { usage: m.EXPORT_USAGE, run: m.exportCommand };
  },
  split: async () => {
    const m = await import('./split.ts');
    return { usage: m.SPLIT_USAGE, run: m.splitCommand };
  },
  quarantine: async () => {
    const m = await import('./quarantine.ts');
    return { usage: m.QUARANTINE_USAGE, run: m.quarantineCommand };
  },
  trust: async () => {
    const m = await import('./trust.ts');
    return { usage: m.TRUST_USAGE, run: m.trustCommand };
  },
  keys: async () => {
    const m = await import('./keys.ts');
    return { usage: m.KEYS_USAGE, run: m.keysCommand };
  },
  snapshot: async () => {
    const m = await import('./snapshot.ts');
    return { usage: m.SNAPSHOT_USAGE, run: m.snapshotCommand };
  },
};

export const EXIT_USAGE = `Exit codes (every command):
  0  done; the gate passed
  1  the gate failed, or ingest refused a file
  2  bad command line (unknown option, missing or out-of-range value)
  3  cannot reach the gateway or open the database (missing, in use), or the port is taken
  4  any other error (the gateway answered with an error)`;

async function usage(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return `assay: a GraphQL analytics gateway for test results

Commands:
${commands.map((c) => `  ${c.usage.split('\n')[0]}`).join('\n')}

Without --server or --db, report, gate and ingest use the gateway at
$ASSAY_SERVER (default http://127.0.0.1:4000) when one answers there, else the
file $ASSAY_DB (default data/assay.duckdb); only ingest creates that file.

${EXIT_USAGE}

Run \`assay <command> --help\` for a command's options.`;
}

/** Runs the `assay` command line; returns the process exit code (EXIT). */
export async function main(
  argv: readonly string[],
  out: Out = (l) => process.stdout.write(`${l}\n`),
  now: Clock = () => new Date(),
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name) out(await usage());
    else process.stderr.write(`${await usage()}\n`);
    return name ? EXIT.OK : EXIT.USAGE;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    process.stderr.write(`assay: unknown command "${name}"\n\n${await usage()}\n`);
    return EXIT.USAGE;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    out(command.usage);
    return EXIT.OK;
  }
  try {
    return await command.run(rest, out, now);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`assay ${name}: ${err.message}\n\n${command.usage}\n`);
      return EXIT.USAGE;
    }
    process.stderr.write(`assay ${name}: ${(err as Error).message}\n`);
    return err instanceof UnavailableError ? EXIT.UNAVAILABLE : EXIT.ERROR;
  }
}
