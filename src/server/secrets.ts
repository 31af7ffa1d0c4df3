import {
  defaultFieldResolver,
  GraphQLObjectType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { Access } from '../domain/access.ts';

/** The part of the GraphQL context this reads (guard.ts's AuthContext). */
interface KeyContext {
  readonly auth?: { readonly access: Access | null };
}

/**
 * Fields that hold secrets of the operator's configuration, readable in full
 * only by an `admin` key: a webhook URL usually carries its token (Slack's
 * `/services/T…/B…/<secret>`), and whoever has it can post to the channel.
 * Other keys see where it points (`https://hooks.slack.com/…`), never the secret.
 */
const SECRET_FIELDS: readonly (readonly [type: string, field: string])[] = [['AlertChannel', 'webhook']];

/** A webhook URL without its path, query and credentials: its scheme and host, then `/…`. */
function redactUrl(url: unknown): string {
  try {
    return `${new URL(String(url)).origin}/…`;
  } catch {
    return '…';
  }
}

/** Wraps the secret fields (in place) so that, with keys on, only an admin key reads them whole. */
export function guardSecrets(schema: GraphQLSchema): void {
  for (const [typeName, fieldName] of SECRET_FIELDS) {
    const type = schema.getType(typeName);
    const field = type instanceof GraphQLObjectType ? type.getFields()[fieldName] : undefined;
    if (!field) throw new Error(`guardSecrets: ${typeName}.${fieldName} is not in the schema`);
    const resolve = field.resolve ?? defaultFieldResolver;
    const wrapped: GraphQLFieldResolver<unknown, KeyContext> = async (src, args, ctx, info) => {
      const out: unknown = await resolve(src, args, ctx, info);
      const access = ctx.auth?.access;
      if (!ctx.auth || access?.has('admin')) return out;
      return redactUrl(out);
    };
    field.resolve = wrapped;
  }
}
