/**
 * `node --import tsx bench/cli.ts [--reps N]`: how long the `assay` command
 * takes to start, as a user or a CI job runs it: wall time of whole
 * processes (`node bin/assay.mjs …`, the built dist/), median of N spawns.
 * `assay --help` is start-up alone; `assay gate --server` adds one quality
 * gate against a gateway running in its own process. For scale it also times
 * `node -e 0` (Node's own start on this machine, at this load) and the
 * command run from the TypeScript sources through tsx, as it ran before the
 * build step. Wall time follows the machine's load, so each run also reports its own CPU time.
 * Writes bench/results/cli.json. Never asserted: not a test.
 */
import { execFileSync, spawn } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { progress, summarise, type Summary } from './lib.ts';
import { type Figure, gitCommit, markdownTable } from './report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/assay.mjs', import.meta.url));
const GOAL_MS = 300;

interface Run {
  ms: number;
  cpuMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

// Preloaded into each child: at exit it writes its CPU time (user + system, since it started) to fd 3.
// Wall time follows the machine's load; CPU time is what the command itself costs.
const CPU_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); writeSync(3, String((u.user + u.system) / 1000)); });",
)}`;

/** One process, timed from spawn to exit. */
function run(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', CPU_HOOK, ...args], {
      cwd: ROOT,
      env: { ...process.env, ASSAY_SERVER: '', ASSAY_DB: '' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let cpu = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += String(c)));
    child.stderr!.on('data', (c: Buffer) => (stderr += String(c)));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => (cpu += String(c)));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ ms: performance.now() - t0, cpuMs: Number(cpu), code, stdout, stderr }),
    );
  });
}

/** N runs one after another; a run that does not end as expected stops the bench (a broken answer is never timed). */
async function sample(
  label: string,
  args: readonly string[],
  reps: number,
  ok: (r: Run) => boolean,
): Promise<{ wall: Summary; cpu: Summary }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const r = await run(args);
    if (!ok(r) || !Number.isFinite(r.cpuMs))
      throw new Error(`${label}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    wall.push(r.ms);
    cpu.push(r.cpuMs);
  }
  const s = { wall: summarise(wall), cpu: summarise(cpu) };
  progress(
    `  ${label}: wall median ${s.wall.p50.toFixed(0)} ms (min ${s.wall.min.toFixed(0)}, max ${s.wall.max.toFixed(0)}), CPU median ${s.cpu.p50.toFixed(0)} ms, over ${reps}`,
  );
  return s;
}

/** `assay serve` on a free port in its own process, with a base and a head build to gate. */
async function startGateway(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--db', ':memory:', '--port', '0', '--log-level', 'warn'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += String(c);
      const m = /at (http:\/\/\S+\/graphql)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`assay serve exited ${code}: ${out}`)));
  });
  const ingest = async (id: string, branch: string, failing: number) => {
    const results = Array.from({ length: 500 }, (_, i) => ({
      suite: `s${i % 20}`,
      name: `t${i}`,
      status: i < failing ? 'FAILED' : 'PASSED',
      durationMs: 10 + (i % 7),
    }));
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation ($input: IngestInput!) { ingest(input: $input) { accepted } }',
        variables: {
          input: {
            run: { id, project: 'bench', branch, commit: id, startedAt: '2026-11-01T10:00:00Z' },
            results,
          },
        },
      }),
    });
    const body = (await res.json()) as { data?: { ingest: { accepted: number } } };
    if (body.data?.ingest.accepted !== results.length)
      throw new Error(`ingest ${id}: ${JSON.stringify(body)}`);
  };
  await ingest('base', 'main', 0);
  await ingest('head', 'feature', 2);
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function benchCli({
  reps = 15,
  tsxReps = 3,
}: { reps?: number; tsxReps?: number } = {}): Promise<{ figures: Figure[] }> {
  progress('cli: building dist/ (npm run build)…');
  execFileSync(process.execPath, ['scripts/build.mjs'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const gateway = await startGateway();
  progress(
    `cli: ${reps} spawns each, gateway at ${gateway.url}, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
  );
  try {
    const node = await sample('node -e 0', ['-e', '0'], reps, (r) => r.code === 0);
    const help = await sample(
      'assay --help',
      [BIN, '--help'],
      reps,
      (r) => r.code === 0 && r.stdout.includes('Exit codes'),
    );
    const gate = await sample(
      'assay gate --server',
      [
        BIN,
        'gate',
        '--project',
        'bench',
        '--branch',
        'feature',
        '--commit',
        'head',
        '--min-pass-rate',
        '0.99',
        '--max-new-failures',
        '2',
        '--server',
        gateway.url,
      ],
      reps,
      (r) => r.code === 0 && r.stdout.includes('Quality gate passed.'),
    );
    const tsx = await sample(
      'assay --help through tsx (no build)',
      ['--import', 'tsx', 'src/cli/bin.ts', '--help'],
      tsxReps,
      (r) => r.code === 0,
    );
    const samples = { node, help, gate, tsx };
    const figures = figuresOf(samples);
    writeResults(figures, samples);
    return { figures };
  } finally {
    await gateway.stop();
  }
}

type Sample = Awaited<ReturnType<typeof sample>>;
interface Samples {
  readonly node: Sample;
  readonly help: Sample;
  readonly gate: Sample;
  readonly tsx: Sample;
}

/** The table: the two commands against their goal, and what a bare node and tsx cost on this machine now. */
function figuresOf({ node, help, gate, tsx }: Samples): Figure[] {
  return [
    {
      figure: 'assay --help, wall (median of spawns)',
      value: help.wall.p50,
      unit: 'ms',
      goal: { op: '<=', value: GOAL_MS },
    },
    {
      figure: 'assay gate --server, wall (median of spawns)',
      value: gate.wall.p50,
      unit: 'ms',
      goal: { op: '<=', value: GOAL_MS },
    },
    { figure: 'node -e 0, wall (this machine now)', value: node.wall.p50, unit: 'ms', goal: null },
    {
      figure: 'assay --help run from the sources through tsx, wall',
      value: tsx.wall.p50,
      unit: 'ms',
      goal: null,
    },
    {
      figure: 'CPU of assay --help / gate / node -e 0 / tsx --help (median)',
      value: help.cpu.p50,
      unit: 'ms',
      display: [help, gate, node, tsx].map((x) => x.cpu.p50.toFixed(0)).join(' / '),
      goal: null,
    },
  ];
}

/** Writes bench/results/cli.json: the figures with every spawn's samples and the machine's load. */
function writeResults(figures: readonly Figure[], samples: Samples): void {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}cli.json`,
    `${JSON.stringify(
      {
        timestamp: new Date().toISOString(),
        commit: gitCommit(),
        node: process.version,
        cores: cpus().length,
        loadAverage: loadavg(),
        figures,
        samples,
      },
      null,
      2,
    )}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--reps');
  const reps = at > 0 ? Number(process.argv[at + 1]) : 15;
  if (!Number.isInteger(reps) || reps < 1) {
    process.stderr.write('usage: node --import tsx bench/cli.ts [--reps N]\n');
    process.exit(2);
  }
  const { figures } = await benchCli({ reps });
  process.stdout.write(`${markdownTable(figures)}\n`);
}
