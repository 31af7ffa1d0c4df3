import { createServer, type AddressInfo } from 'node:net';

/** Holds a free loopback port with a plain TCP server, for tests of what a taken port does. */
export async function takePort(): Promise<{ readonly port: number; release(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
