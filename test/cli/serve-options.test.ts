import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { EXIT } from '../../src/cli/exit.ts';
import { serveOptions } from '../../src/cli/serve-options.ts';
import { TEST_NOW } from '../support/app.ts';

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return {
      code: await main(
        args,
        () => undefined,
        () => TEST_NOW,
      ),
      stderr,
    };
  } finally {
    spy.mockRestore();
  }
}

describe('assay serve: operation limits and infrastructure thresholds on the command line', () => {
  it('passes the operation limits it is given, and leaves the others to the server', async () => {
    const o = await serveOptions(['--max-depth', '8', '--max-root-fields', '3', '--db', ':memory:']);
    expect(o.limits).toEqual({ maxDepth: 8, maxRootFields: 3 });
    expect((await serveOptions(['--db', ':memory:'])).limits).toEqual({});
    expect((await serveOptions(['--infra-fail-share', '0.9', '--db', ':memory:'])).infra).toEqual({
      failShare: 0.9,
    });
  });

  it('refuses a bad limit or threshold with exit 2 before opening anything, naming the option', async () => {
    const depth = await run(['serve', '--max-depth', '0', '--db', ':memory:']);
    expect([depth.code, depth.stderr]).toEqual([
      EXIT.USAGE,
      expect.stringContaining('--max-depth must be a whole number from 1 to 1000 (got "0")'),
    ]);
    const cost = await run(['serve', '--max-cost', 'lots', '--db', ':memory:']);
    expect([cost.code, cost.stderr]).toEqual([EXIT.USAGE, expect.stringContaining('--max-cost')]);
    const infra = await run(['serve', '--infra-fail-share', '2', '--db', ':memory:']);
    expect([infra.code, infra.stderr]).toEqual([EXIT.USAGE, expect.stringContaining('--infra-* options')]);
  });
});
