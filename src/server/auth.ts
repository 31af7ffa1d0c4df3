import type { IncomingMessage } from 'node:http';
import type { Access } from '../domain/access.ts';

/**
 * API keys, one import for the server: the keyring (keyring.ts), GraphQL's
 * per-field checks (guard.ts), and the caller of each request. Which paths
 * need a key and the browser checks are in http-access.ts.
 */

export { bearer, connectionSecret, openKeyring, type Keyring } from './keyring.ts';
export { guardSchema, type AuthContext } from './guard.ts';

/** The caller of each HTTP request (and graphql-ws upgrade request), set by the server before GraphQL runs. */
export const callers = new WeakMap<IncomingMessage, Access>();
