import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/cli/args.ts';
import { serveOptions } from '../../src/cli/serve-options.ts';
import { testApp } from '../support/app.ts';
import { takePort } from '../support/net.ts';

describe('a gateway whose port is taken', () => {
  let taken: Awaited<ReturnType<typeof takePort>>;
  let port: number;
  beforeAll(async () => {
    taken = await takePort();
    port = taken.port;
  });
  afterAll(() => taken.release());

  it('rejects listen() with EADDRINUSE and prints nothing itself (the CLI says it once)', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const app = await testApp({ port, host: '127.0.0.1' });
    try {
      await expect(app.listen()).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
      await app.close();
    }
  });
});

describe("DuckDB's memory limit", () => {
  it('reaches DuckDB from the app config', async () => {
    const app = await testApp({ memoryLimit: '300MB' });
    try {
      const [row] = await app.store.db.query<{ limit: string }>(
        "SELECT current_setting('memory_limit') AS limit",
      );
      // DuckDB shows 300 MB (10^6 bytes each) in MiB.
      expect(row?.limit).toBe('286.1 MiB');
    } finally {
      await app.close();
    }
  });

  it('is read from --memory-limit, else ASSAY_MEMORY_LIMIT, and a bad one is refused with how to write it', async () => {
    const base = ['--db', ':memory:'];
    expect((await serveOptions([...base, '--memory-limit', '1 GiB'], {})).memoryLimit).toBe('1GiB');
    expect((await serveOptions(base, { ASSAY_MEMORY_LIMIT: '700MB' })).memoryLimit).toBe('700MB');
    expect(
      (await serveOptions([...base, '--memory-limit', '600MB'], { ASSAY_MEMORY_LIMIT: '700MB' })).memoryLimit,
    ).toBe('600MB');
    expect((await serveOptions(base, {})).memoryLimit).toBeUndefined();
    await expect(serveOptions([...base, '--memory-limit', '80%'], {})).rejects.toThrow(
      new UsageError(
        '--memory-limit: The memory limit must be a size with its unit, such as 512MB, 1GB or 768MiB (got "80%").',
      ),
    );
    await expect(serveOptions(base, { ASSAY_MEMORY_LIMIT: '10MB' })).rejects.toThrow(
      'ASSAY_MEMORY_LIMIT: The memory limit must be at least 64MiB',
    );
  });

  it('is refused by createApp when it is not a size, before anything is opened', async () => {
    await expect(testApp({ memoryLimit: '512' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe("DuckDB's checkpoint threshold", () => {
  it('is 64MB unless the app config names another, and reaches DuckDB', async () => {
    const read = async (app: Awaited<ReturnType<typeof testApp>>) => {
      try {
        const [row] = await app.store.db.query<{ threshold: string }>(
          "SELECT current_setting('checkpoint_threshold') AS threshold",
        );
        return row?.threshold;
      } finally {
        await app.close();
      }
    };
    // DuckDB shows sizes in MiB: 64 MB is 64,000,000 bytes, 61.0 MiB; its own default is 16 MB (15.2 MiB).
    expect(await read(await testApp())).toBe('61.0 MiB');
    expect(await read(await testApp({ checkpointThreshold: '1GiB' }))).toBe('1.0 GiB');
  });

  it('is read from --checkpoint-threshold, else ASSAY_CHECKPOINT_THRESHOLD, and a bad one is refused with how to write it', async () => {
    const base = ['--db', ':memory:'];
    const threshold = async (args: string[], env: NodeJS.ProcessEnv) =>
      (await serveOptions([...base, ...args], env)).checkpointThreshold;
    expect(await threshold(['--checkpoint-threshold', '256 MB'], {})).toBe('256MB');
    expect(await threshold([], { ASSAY_CHECKPOINT_THRESHOLD: '128MiB' })).toBe('128MiB');
    expect(
      await threshold(['--checkpoint-threshold', '32MB'], { ASSAY_CHECKPOINT_THRESHOLD: '128MiB' }),
    ).toBe('32MB');
    expect(await threshold([], {})).toBeUndefined();
    await expect(threshold(['--checkpoint-threshold', 'lots'], {})).rejects.toThrow(
      new UsageError(
        '--checkpoint-threshold: The checkpoint threshold must be a size with its unit, such as 64MB, 256MB or 1GiB (got "lots").',
      ),
    );
    await expect(threshold([], { ASSAY_CHECKPOINT_THRESHOLD: '100KB' })).rejects.toThrow(
      'ASSAY_CHECKPOINT_THRESHOLD: The checkpoint threshold must be at least 1MB',
    );
  });
});
