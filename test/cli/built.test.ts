import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { data, INGEST, testApp } from '../support/app.ts';
import { takePort } from '../support/net.ts';

// The command as npm installs it: built by scripts/build.mjs (here into a directory of
// its own under node_modules, so the packages resolve and dist/ is left alone) and run by Node.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'node_modules', '.cache', `assay-cli-test-${process.pid}`);

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--outdir', OUT, '--metafile'], {
    stdio: 'pipe',
  });
});
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

function assay(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(OUT, 'bin.js'), ...args], {
      cwd: OUT,
      env: { ...process.env, ASSAY_SERVER: '', ASSAY_DB: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += String(c)));
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Meta {
  outputs: Record<
    string,
    { entryPoint?: string; imports: { path: string; kind: string; external?: boolean }[] }
  >;
}

/** Packages an output loads before any of its code runs: its static imports, transitively. */
function staticPackages(meta: Meta, from: string, seen = new Set<string>()): Set<string> {
  const found = new Set<string>();
  const visit = (out: string) => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const i of meta.outputs[out]!.imports) {
      if (i.external) found.add(i.path);
      else if (i.kind === 'import-statement') visit(i.path);
    }
  };
  visit(from);
  return found;
}

describe('the built command', () => {
  it('loads neither DuckDB nor GraphQL for help: only each command module, whose heavy parts load when it runs', () => {
    const meta = JSON.parse(readFileSync(join(OUT, 'meta.json'), 'utf8')) as Meta;
    const outputOf = (entry: string) =>
      Object.keys(meta.outputs).find((k) => meta.outputs[k]!.entryPoint === entry)!;
    const main = outputOf('src/cli/main.ts');
    const seen = new Set<string>();
    const help = staticPackages(meta, main, seen);
    const commands = [...seen]
      .flatMap((o) => meta.outputs[o]!.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path))
      .filter((o) => meta.outputs[o]!.entryPoint?.startsWith('src/cli/'));
    expect(commands.map((o) => meta.outputs[o]!.entryPoint).sort()).toEqual(
      [
        'cleanup',
        'demo',
        'export',
        'gate',
        'ingest',
        'keys',
        'quarantine',
        'report',
        'serve',
        'snapshot',
        'split',
        'trust',
      ].map((c) => `src/cli/${c}.ts`),
    );
    for (const c of commands) for (const p of staticPackages(meta, c)) help.add(p);
    const HEAVY = [
      'graphql',
      'graphql-yoga',
      '@pothos/core',
      '@duckdb/node-api',
      'ws',
      'graphql-ws/use/ws',
      'saxes',
    ];
    expect([...help].filter((p) => HEAVY.includes(p))).toEqual([]);
    // The walk sees them where they are: the server's module loads both.
    expect([...staticPackages(meta, outputOf('src/server/app.ts'))]).toEqual(
      expect.arrayContaining(['graphql', '@duckdb/node-api']),
    );
  });

  it('prints its help with the exit codes, exit 0', async () => {
    const r = await assay('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('assay gate --project P');
    expect(r.stdout).toMatch(/3 {2}cannot reach the gateway/);
  });

  describe('on a taken port', () => {
    let taken: Awaited<ReturnType<typeof takePort>>;
    let port: number;
    beforeAll(async () => {
      taken = await takePort();
      port = taken.port;
    });
    afterAll(() => taken.release());

    it('serve says so in one line, with how to pick another port, and exits 3 without a stack trace or a database', async () => {
      const db = join(OUT, 'serve.duckdb');
      const r = await assay('serve', '--db', db, '--port', String(port), '--log-level', 'warn');
      expect(existsSync(db)).toBe(false);
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(
        `assay serve: port ${port} on 127.0.0.1 is already in use (another \`assay serve\` or \`npm start\`?): ` +
          `pick another with --port N (\`npm start -- --port ${port + 1}\`), or --port 0 for any free port\n`,
      );
      expect(r.stdout).toBe('');
    });
  });

  it('says a database file another process holds is in use, exit 3', async () => {
    const file = join(OUT, 'held.duckdb');
    const holder = await testApp({ db: file });
    try {
      const r = await assay('report', '--db', file);
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(
        `assay report: ${file} is in use by another process (a running \`assay serve\`?): stop it, or send to it with --server URL instead of --db\n`,
      );
    } finally {
      await holder.close();
    }
  });

  describe('gate, as CI runs it', () => {
    let app: App;
    let server: string;
    beforeAll(async () => {
      app = await testApp();
      server = await app.listen();
      await data(app, INGEST, {
        input: {
          run: { id: 'm1', project: 'shop', branch: 'main', commit: 'm1', startedAt: '2026-11-01T10:00:00Z' },
          results: [{ suite: 's', name: 'a', status: 'PASSED', durationMs: 1 }],
        },
      });
      await data(app, INGEST, {
        input: {
          run: {
            id: 'f1',
            project: 'shop',
            branch: 'feature',
            commit: 'f1',
            startedAt: '2026-11-02T10:00:00Z',
          },
          results: [{ suite: 's', name: 'a', status: 'FAILED', durationMs: 1 }],
        },
      });
    });
    afterAll(() => app.close());

    it('exits 0 for a passing build and 1 for a failing one, from the process', async () => {
      expect(
        (await assay('gate', '--project', 'shop', '--branch', 'main', '--commit', 'm1', '--server', server))
          .code,
      ).toBe(0);
      const failed = await assay(
        'gate',
        '--project',
        'shop',
        '--branch',
        'feature',
        '--commit',
        'f1',
        '--server',
        server,
      );
      expect(failed.code).toBe(1);
      expect(failed.stdout).toContain('Quality gate FAILED: maxNewFailures.');
    });
  });
});
