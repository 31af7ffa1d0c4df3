import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server of the test's own, on a free port, with the append-only file
 * on so it can be stopped and started again with its data. Throws when
 * redis-server cannot start: replica tests fail rather than skip.
 */
export class TestRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'assay-redis-'));
  #child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<TestRedis> {
    const r = new TestRedis(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    // Redis is a service beside the test, not code under it: it runs on the real clock even when the
    // suite is run under libfaketime (which deadlocks redis-server's allocator at start).
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME')),
    );
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--dir',
        this.dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env },
    );
    this.#child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const fail = (why: string) =>
        reject(new Error(`redis-server did not start on port ${this.port}: ${why}\n${out}`));
      child.once('error', (e) => fail(e.message));
      child.once('exit', (code) => fail(`exited with ${code}`));
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
    });
  }

  /** Stops the server (SIGTERM: it flushes the append-only file) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null) return;
    child.removeAllListeners('exit');
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
