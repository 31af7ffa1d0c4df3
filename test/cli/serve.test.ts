import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
