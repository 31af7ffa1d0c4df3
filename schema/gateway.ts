import { builder } from './builder.ts';
import * as gatewayResolvers from '../resolvers/gateway.ts';
import type { GatewayInfo } from '../resolvers/gateway.ts';

const CacheInfo = builder.objectRef<GatewayInfo['cache']>('CacheInfo').implement({
  description: 'The cross-request LRU in front of analytic queries (keyed by arguments and dataVersion).',
  fields: (t) => ({
    hits: t.exposeInt('hits', {
      description: 'Lookups answered from the cache, or joined to a computation already under way.',
    }),
    misses: t.exposeInt('misses'),
    hitRatio: t.exposeFloat('hitRatio', {
      nullable: true,
      description: 'hits / (hits + misses); null before the first lookup.',
    }),
    entries: t.exposeInt('entries'),
    bytes: t.exposeInt('bytes', { description: 'Approximate size of the cached answers.' }),
  }),
});

const DbInfo = builder.objectRef<GatewayInfo['db']>('DbInfo').implement({
  fields: (t) => ({
    statements: t.exposeInt('statements', {
      description: 'SQL statements run against DuckDB since the gateway started.',
    }),
  }),
});

const ResponseCacheInfo = builder.objectRef<GatewayInfo['responses']>('ResponseCacheInfo').implement({
  description:
    'The whole-response cache: a repeated query over unchanged data is answered with the same bytes, without executing.',
  fields: (t) => ({
    hits: t.exposeInt('hits'),
    misses: t.exposeInt('misses', {
      description: 'Cacheable queries that were executed (and kept unless they failed).',
    }),
    entries: t.exposeInt('entries'),
  }),
});

const ReplicaInfo = builder.objectRef<NonNullable<GatewayInfo['replica']>>('ReplicaInfo').implement({
  description:
    "This replica's place in the shared log of writes (a Redis stream) that every replica applies in order.",
  fields: (t) => ({
    id: t.exposeString('id', { description: "The replica's name (--replica-id)." }),
    redis: t.exposeString('redis', { description: 'The Redis URL, password hidden.' }),
    position: t.exposeString('position', {
      description:
        'The last stream entry this replica applied; send it (or a dataVersion) as x-assay-min-version to read a write on any replica.',
    }),
    applied: t.exposeInt('applied', { description: 'Stream entries applied so far.' }),
    head: t.exposeString('head', {
      nullable: true,
      description: "The stream's last entry; null while Redis cannot be reached.",
    }),
    lag: t.exposeInt('lag', {
      nullable: true,
      description: 'Entries in the stream not applied here yet; null while Redis cannot be reached.',
    }),
    degraded: t.exposeBoolean('degraded', {
      description:
        "Redis cannot be reached: writes are refused (UNAVAILABLE), reads answer from this replica's data.",
    }),
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
    replica: t.field({
      type: ReplicaInfo,
      nullable: true,
      description: 'Null when the gateway runs alone, without a shared log.',
      resolve: (g) => g.replica,
    }),
  }),
});

builder.queryField('gateway', (t) =>
  t.field({
    type: Gateway,
    description: 'What the gateway holds and how its cache and database are doing.',
    resolve: (_r, _a, ctx) => gatewayResolvers.gateway(ctx),
  }),
);
