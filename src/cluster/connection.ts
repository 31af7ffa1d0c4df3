import { Redis } from 'ioredis';
import type { ClusterLog } from './replicator.ts';

/** A connection that fails commands at once while Redis is unreachable (never queues or re-sends a write). */
export function connect(url: string, log: ClusterLog, role: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
  let reported = false;
  redis.on('error', (error: Error) => {
    if (!reported) log.warn('redis connection error', { role, error: error.message });
    reported = true;
  });
  redis.on('ready', () => {
    reported = false;
  });
  return redis;
}

/** Resolves once the connection is ready, or after `ms` (Redis may be down: the replica starts degraded). */
export function ready(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    redis.once('ready', done);
    function done(): void {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    }
  });
}
