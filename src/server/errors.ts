import { GraphQLError } from 'graphql';
import { AssayError } from '../domain/errors.ts';
import type { Logger } from './logger.ts';

/**
 * Yoga puts the JSON parser's message in `extensions.originalError` of an invalid body's
 * error, and that message quotes the body: never echo what the client sent.
 */
function withoutOriginal(error: GraphQLError): GraphQLError {
  const ext = error.extensions as Record<string, unknown>;
  const original = ext['originalError'] as { name?: unknown } | undefined;
  // Kept as an object with a name: Yoga answers 400 rather than 200 because it is there.
  if (original && typeof original === 'object')
    ext['originalError'] = { name: original.name, message: 'withheld: it may quote the request' };
  return error;
}

/**
 * Yoga's error mask: an AssayError becomes a GraphQL error with its stable
 * `extensions.code`; GraphQL's own errors (validation, coercion) pass; anything
 * else is logged and replaced by a generic message.
 */
export function createMaskError(log: Logger) {
  return (error: unknown, message: string): Error => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original instanceof AssayError) {
      const g = error instanceof GraphQLError ? error : undefined;
      return new GraphQLError(original.message, {
        nodes: g?.nodes ?? null,
        path: g?.path ?? null,
        extensions: { ...original.details, code: original.code },
      });
    }
    if (error instanceof GraphQLError && (!original || original instanceof GraphQLError))
      return withoutOriginal(error);
    log.error('unexpected error while resolving', {
      error: original instanceof Error ? original : new Error(String(original)),
      path: error instanceof GraphQLError ? error.path : undefined,
    });
    return new GraphQLError(message, {
      nodes: error instanceof GraphQLError ? (error.nodes ?? null) : null,
      path: error instanceof GraphQLError ? (error.path ?? null) : null,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  };
}
