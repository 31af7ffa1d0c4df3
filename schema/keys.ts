import { builder } from './builder.ts';
import { DateTime } from './scalars.ts';
import * as keyResolvers from '../resolvers/keys.ts';
import type { ApiKey as ApiKeyModel } from '../src/domain/access.ts';

const ApiKeyScopeEnum = builder.enumType('ApiKeyScope', {
  description:
    'What a key may do; each includes the ones below it. ADMIN: alert rules, webhooks, retention, keys. INGEST: uploads, the ingest mutations, alert triage. READ: every query and subscription.',
  values: {
    READ: { value: 'read' },
    INGEST: { value: 'ingest' },
    ADMIN: { value: 'admin' },
  } as const,
});

const ApiKey = builder.objectRef<ApiKeyModel>('ApiKey').implement({
  description: 'An API key of this gateway. Its secret is never shown again after `createApiKey`.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Part of the secret (`assay_<id>_…`), so logs can name a key.' }),
    name: t.exposeString('name'),
    scope: t.expose('scope', { type: ApiKeyScopeEnum }),
    projects: t.exposeStringList('projects', {
      nullable: true,
      description: 'The projects the key may use; null: every project.',
    }),
    createdAt: t.expose('createdAt', { type: DateTime }),
    revokedAt: t.expose('revokedAt', { type: DateTime, nullable: true }),
  }),
});

const CreatedApiKey = builder.objectRef<{ key: ApiKeyModel; secret: string }>('CreatedApiKey').implement({
  description: 'A new key and its secret, shown only in this answer (only its SHA-256 is stored).',
  fields: (t) => ({
    key: t.field({ type: ApiKey, resolve: (c) => c.key }),
    secret: t.exposeString('secret', {
      description: 'Send it as `Authorization: Bearer <secret>`. Keep it: it cannot be shown again.',
    }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ description: 'A label for `apiKeys`. Default: the scope.' }),
    scope: t.field({ type: ApiKeyScopeEnum, required: true }),
    projects: t.stringList({ description: 'The projects the key may use. Default: every project.' }),
  }),
});

builder.queryFields((t) => ({
  apiKeys: t.field({
    type: [ApiKey],
    description:
      "This gateway's API keys, revoked ones included, oldest first; never their secrets. Admin keys only.",
    resolve: (_root, _args, ctx) => keyResolvers.apiKeys(ctx),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKey,
    description:
      'Makes an API key, usable at once (with replicas, on the replica that answers; see README). Admin keys only.',
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: (_root, { input }, ctx) => keyResolvers.createApiKey(ctx, input),
  }),
  revokeApiKey: t.field({
    type: ApiKey,
    description:
      'Revokes an API key at once: requests with it are refused and its subscriptions end. NOT_FOUND when no key that is not revoked yet has the id. Admin keys only.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => keyResolvers.revokeApiKey(ctx, id),
  }),
}));
