// One replica in a process of its own, so a test can kill -9 it.
// Usage: node --import tsx test/cluster/replica-child.ts <db file> <redis url> <replica id> [snapshot dir]
import { createApp } from '../../src/server/app.ts';

const [db, redis, replicaId, snapshotDir] = process.argv.slice(2);
if (!db || !redis || !replicaId) throw new Error('usage: replica-child.ts <db> <redis> <replica id>');
const app = await createApp({
  db,
  redis,
  replicaId,
  ...(snapshotDir && { snapshotDir }),
  port: 0,
  readers: 1,
  logLevel: 'silent',
  now: () => new Date('2026-11-22T00:00:00Z'),
});
process.stdout.write(`${JSON.stringify({ url: await app.listen() })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
