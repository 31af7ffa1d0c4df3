import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { App } from '../../src/server/app.ts';
import { data, INGEST, testApp } from '../support/app.ts';

/**
 * Base: run m1 on main, three tests pass. Head: run f1 on branch feature,
 * commit f1: "a" and "c" pass, "b" fails. By hand: pass rate 2/3, one new
 * failure (b passed on main).
 */
const BASE = {
  run: { id: 'm1', project: 'shop', branch: 'main', commit: 'm1', startedAt: '2026-11-01T10:00:00Z' },
  results: ['a', 'b', 'c'].map((name) => ({ suite: 's', name, status: 'PASSED', durationMs: 10 })),
};
const HEAD = {
  run: { id: 'f1', project: 'shop', branch: 'feature', commit: 'f1', startedAt: '2026-11-02T10:00:00Z' },
  results: [
    { suite: 's', name: 'a', status: 'PASSED', durationMs: 10 },
    { suite: 's', name: 'b', status: 'FAILED', durationMs: 10, message: 'boom' },
    { suite: 's', name: 'c', status: 'PASSED', durationMs: 10 },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'assay-exit-'));
let app: App;
let server: string;
let closedPort: number;
let fake: Server;
let fakeUrl: string;

beforeAll(async () => {
  app = await testApp();
  server = await app.listen();
  for (const input of [BASE, HEAD]) await data(app, INGEST, { input });
  // A port nothing listens on: bound, then released.
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  // A gateway that answers every operation with an error that is not the caller's input.
  fake = createHttpServer((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ errors: [{ message: 'database is closed' }] })),
  );
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app.close();
  await new Promise<void>((resolve) => fake.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

let stderr: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  stderr = [];
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  const code = await main(argv, (l) => lines.push(l));
  vi.restoreAllMocks();
  return { code, out: lines.join('\n'), err: stderr.join('') };
}

describe('assay gate exit codes, against a running gateway', () => {
  it('exits 0 when the build passes, and says what it gated', async () => {
    const r = await cli(
      'gate',
      '--project',
      'shop',
      '--branch',
      'feature',
      '--commit',
      'f1',
      '--min-pass-rate',
      '0.6',
      '--server',
      server,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('Gate of project shop, branch feature, commit f1 (base branch main)');
    expect(r.out).toMatch(/✔ pass {2}minPassRate +actual +66\.67 %/);
  });

  it('exits 1 when the build fails a check', async () => {
    const r = await cli(
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
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✘ FAIL {2}maxNewFailures +actual +1 +threshold +0/);
  });

  it('exits 2 on a rate given in percent, naming the scale', async () => {
    const r = await cli(
      'gate',
      '--project',
      'shop',
      '--commit',
      'f1',
      '--min-pass-rate',
      '98',
      '--server',
      server,
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('--min-pass-rate is a rate from 0 to 1 (got 98); 0.98 means 98 %');
    for (const bad of [
      ['--max-flaky-rate', '-0.1'],
      ['--max-new-failures', '1.5'],
      ['--max-duration-regression', '-5'],
    ]) {
      expect(
        (await cli('gate', '--project', 'shop', '--commit', 'f1', ...bad, '--server', server)).code,
      ).toBe(2);
    }
  });

  it('refuses, exit 2, to gate without a build or a period', async () => {
    const r = await cli('gate', '--project', 'shop', '--branch', 'feature', '--server', server);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--commit SHA (or --run-id ID) is required');
    // A period is a slice it can name: the feature branch since November 2nd fails on b.
    const period = await cli(
      'gate',
      '--project',
      'shop',
      '--branch',
      'feature',
      '--from',
      '2026-11-02T00:00:00Z',
      '--server',
      server,
    );
    expect(period.code).toBe(1);
    expect(period.out).toContain('Gate of project shop, branch feature, from 2026-11-02T00:00:00Z');
  });

  it('sends a report to the gateway with ingest, exit 0, and gates it', async () => {
    const report = join(dir, 'TEST-release.xml');
    writeFileSync(
      report,
      '<testsuite name="s" timestamp="2026-11-03T10:00:00"><testcase name="a" time="0.01"/><testcase name="b" time="0.01"/><testcase name="c" time="0.01"/></testsuite>',
    );
    const r = await cli(
      'ingest',
      report,
      '--project',
      'shop',
      '--branch',
      'release',
      '--commit',
      'r1',
      '--server',
      server,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Imported 1 of 1 files into ${new URL(server).origin}`);
    expect(r.out).toContain('3 attempts stored');
    // a, b and c passed on main and pass here: no new failure.
    expect(
      (await cli('gate', '--project', 'shop', '--branch', 'release', '--commit', 'r1', '--server', server))
        .code,
    ).toBe(0);
  });

  it('exits 2 when the gateway refuses the slice as bad input', async () => {
    const r = await cli(
      'report',
      '--from',
      '2026-11-05T00:00:00Z',
      '--to',
      '2026-11-01T00:00:00Z',
      '--server',
      server,
    );
    expect(r.code).toBe(2);
  });

  it('exits 3 when nothing answers at --server, not 1', async () => {
    const r = await cli(
      'gate',
      '--project',
      'shop',
      '--commit',
      'f1',
      '--server',
      `http://127.0.0.1:${closedPort}`,
    );
    expect(r.code).toBe(3);
    expect(r.err).toContain(`cannot reach the gateway at http://127.0.0.1:${closedPort}`);
    expect((await cli('report', '--server', `http://127.0.0.1:${closedPort}`)).code).toBe(3);
  });

  it('exits 4 when the gateway answers with an error', async () => {
    const r = await cli('gate', '--project', 'shop', '--commit', 'f1', '--server', fakeUrl);
    expect(r.code).toBe(4);
    expect(r.err).toContain('database is closed');
  });
});

describe('a database file that does not exist', () => {
  const missing = join(dir, 'nowhere', 'assay.duckdb');

  it('is an error, exit 3, for report, gate, export and cleanup, and is not created', async () => {
    for (const argv of [
      ['report', '--db', missing],
      ['gate', '--project', 'shop', '--commit', 'f1', '--db', missing],
      ['export', '--out', join(dir, 'export'), '--db', missing],
      ['cleanup', '--keep-days', '30', '--db', missing],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv[0]).toBe(3);
      expect(r.err).toContain(`there is no database at ${missing}`);
    }
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    expect(existsSync(join(dir, 'export'))).toBe(false);
  });

  it('is created by ingest, the one command that writes', async () => {
    const report = join(dir, 'TEST-x.xml');
    writeFileSync(
      report,
      '<testsuite name="x" timestamp="2026-11-01T10:00:00"><testcase name="y" time="1"/></testsuite>',
    );
    const db = join(dir, 'new', 'assay.duckdb');
    const r = await cli('ingest', report, '--project', 'p', '--db', db);
    expect(r.code).toBe(0);
    expect(existsSync(db)).toBe(true);
  });
});

describe('without --server or --db', () => {
  const cwd = process.cwd();
  const env = { server: process.env['ASSAY_SERVER'], db: process.env['ASSAY_DB'] };
  const work = join(dir, 'project');

  beforeAll(() => {
    mkdirSync(join(work, 'data'), { recursive: true });
    process.chdir(work);
  });
  afterAll(() => {
    process.chdir(cwd);
    for (const [k, v] of [
      ['ASSAY_SERVER', env.server],
      ['ASSAY_DB', env.db],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('says where it looked and how to point elsewhere, exit 3, creating nothing', async () => {
    process.env['ASSAY_SERVER'] = `http://127.0.0.1:${closedPort}`;
    delete process.env['ASSAY_DB'];
    // `npm start` keeps its demo here; the message names it.
    writeFileSync(join(work, 'data', 'demo.duckdb'), '');
    for (const argv of [
      ['report'],
      ['gate', '--project', 'shop', '--commit', 'f1'],
      ['export', '--out', 'out'],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv[0]).toBe(3);
      expect(r.err).toContain(`there is no database at ${join(work, 'data', 'assay.duckdb')}`);
      expect(r.err).toContain('--db PATH');
      expect(r.err).toContain('--db data/demo.duckdb');
      if (argv[0] !== 'export')
        expect(r.err).toContain(`no gateway answers at http://127.0.0.1:${closedPort}`);
    }
    expect(existsSync(join(work, 'data', 'assay.duckdb'))).toBe(false);
    expect(existsSync(join(work, 'out'))).toBe(false);
  });

  it('uses the gateway that answers at $ASSAY_SERVER, and says so', async () => {
    process.env['ASSAY_SERVER'] = server;
    const r = await cli('gate', '--project', 'shop', '--branch', 'feature', '--commit', 'f1');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`using the gateway at ${new URL(server).origin}`);
    expect(existsSync(join(work, 'data', 'assay.duckdb'))).toBe(false);
  });
});
