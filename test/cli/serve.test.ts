import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testApp } from '../support/app.ts';

describe('a gateway whose port is taken', () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

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
