import { builder } from './builder.ts';
import * as gatewayResolvers from '../resolvers/gateway.ts';
import type { GatewayInfo } from '../resolvers/gateway.ts';

const CacheInfo = builder.objectRef<GatewayInfo['cache']>('CacheInfo').implement({
  description: 'The cross-request LRU in front of analytic queries (keyed by arguments and dataVersion).',
  fields: (t) => ({
    hits: t.exposeInt('hits', { description: 'Lookups answered from the cache, or joined to a computation already under way.' }),
    misses: t.exposeInt('misses'),
    hitRatio: t.exposeFloat('hitRatio', { nullable: true, description: 'hits / (hits + misses); null before the first lookup.' }),
    entries: t.exposeInt('entries'),
    bytes: t.exposeInt('bytes', { description: 'Approximate size of the cached answers.' }),
  }),
});

const DbInfo = builder.objectRef<GatewayInfo['db']>('DbInfo').implement({
  fields: (t) => ({
    statements: t.exposeInt('statements', { description: 'SQL statements run against DuckDB since the gateway started.' }),
  }),
});

const ResponseCacheInfo = builder.objectRef<GatewayInfo['responses']>('ResponseCacheInfo').implement({
  description: 'The whole-response cache: a repeated query over unchanged data is answered with the same bytes, without executing.',
  fields: (t) => ({
    hits: t.exposeInt('hits'),
    misses: t.exposeInt('misses', { description: 'Cacheable queries that were executed (and kept unless they failed).' }),
    entries: t.exposeInt('entries'),
  }),
});

const Gateway = builder.objectRef<GatewayInfo>('Gateway').implement({
  fields: (t) => ({
    version: t.exposeString('version'),
    dataVersion: t.exposeInt('dataVersion', { description: 'Rises with every committed ingest.' }),
    runs: t.exposeInt('runs'),
    tests: t.exposeInt('tests'),
    results: t.exposeInt('results'),
    cache: t.field({ type: CacheInfo, resolve: (g) => g.cache }),
    db: t.field({ type: DbInfo, resolve: (g) => g.db }),
    responses: t.field({ type: ResponseCacheInfo, resolve: (g) => g.responses }),
  }),
});

builder.queryField('gateway', (t) =>
  t.field({ type: Gateway, description: 'What the gateway holds and how its cache and database are doing.', resolve: (_r, _a, ctx) => gatewayResolvers.gateway(ctx) }),
);
