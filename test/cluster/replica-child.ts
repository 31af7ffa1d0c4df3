// One replica in a process of its own, so a test can kill -9 it.
// Usage: node --import tsx test/cluster/replica-child.ts <db file> <redis url> <replica id> [snapshot dir]
// REPLICA_CHILD_CONFIG (JSON) adds `cluster` and `webhooks` options to createApp's.
import { createApp, type AppConfig } from '../../src/server/app.ts';

const [db, redis, replicaId, snapshotDir] = process.argv.slice(2);
if (!db || !redis || !replicaId) throw new Error('usage: replica-child.ts <db> <redis> <replica id>');
const extra = JSON.parse(process.env.REPLICA_CHILD_CONFIG ?? '{}') as Pick<AppConfig, 'cluster' | 'webhooks'>;
const app = await createApp({
  ...extra,
  db,
  redis,
  replicaId,
  ...(snapshotDir && { snapshotDir }),
  port: 0,
  readers: 1,
  logLevel: (process.env.REPLICA_CHILD_LOG ?? 'silent') as 'silent',
  now: () => new Date('2026-11-22T00:00:00Z'),
});
process.stdout.write(`${JSON.stringify({ url: await app.listen() })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
