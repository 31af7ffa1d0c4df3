import {
  Access,
  unauthenticated,
  type ApiKey,
  type ApiKeyAdmin,
  type KeyStore,
  type StoredApiKey,
} from '../domain/access.ts';
import { hashSecret, mintKey } from '../db/keys.ts';

/**
 * The API keys a server accepts, loaded once from the database and kept up to
 * date with every key write it applies (with replicas, those of every replica,
 * through the shared log), and how a request names its key (`Authorization: Bearer
 * <key>`, or graphql-ws's `connection_init` payload).
 */

/** The keys a running server accepts: loaded once, changed only through it. */
export interface Keyring extends ApiKeyAdmin {
  /** Whether every request needs a key (AppConfig.auth). */
  readonly required: boolean;
  /** Keys not revoked. */
  readonly active: number;
  /** The caller a secret names; UNAUTHENTICATED when it names no key, or a revoked one. */
  authenticate(secret: string | null): Access;
  /** Whether the key is still good (it may have been revoked since the request began). */
  isActive(id: string): boolean;
  /** Resolves when the key is revoked (a subscription under it then ends). */
  revoked(id: string): Promise<void>;
}

export async function openKeyring(keys: KeyStore, required: boolean, now: () => Date): Promise<Keyring> {
  const byHash = new Map<string, ApiKey>();
  const byId = new Map<string, ApiKey>();
  const waiting = new Map<string, (() => void)[]>();
  const put = (k: StoredApiKey): void => {
    const { hash, ...key } = k;
    const known = byId.get(key.id);
    // A revoke is final: a later save of the same key (a replica replaying its log) does not undo it.
    if (known?.revokedAt) return;
    byId.set(key.id, key);
    if (key.revokedAt === null) byHash.set(hash, key);
    else markRevoked(key.id, key.revokedAt);
  };
  const markRevoked = (id: string, at: Date): void => {
    for (const [hash, key] of byHash) if (key.id === id) byHash.delete(hash);
    const key = byId.get(id);
    if (key && key.revokedAt === null) byId.set(id, { ...key, revokedAt: at });
    for (const wake of waiting.get(id) ?? []) wake();
    waiting.delete(id);
  };
  // Every key write this database applies, this replica's or (through the shared log) another's.
  keys.onKeyChange((change) =>
    change.kind === 'saved' ? put(change.key) : markRevoked(change.id, change.at),
  );
  for (const k of await keys.listKeys()) put(k);
  return {
    required,
    get active() {
      return byHash.size;
    },
    authenticate(secret) {
      if (!secret)
        throw unauthenticated(
          'This gateway needs an API key: send `Authorization: Bearer <key>` (graphql-ws: connection_init payload { authorization: "Bearer <key>" }). `assay keys create` makes one.',
        );
      const key = byHash.get(hashSecret(secret));
      if (!key) throw unauthenticated('The API key is unknown or revoked; `assay keys list` shows the keys.');
      return new Access(key);
    },
    isActive: (id) => byId.get(id)?.revokedAt === null,
    revoked: (id) =>
      byId.get(id)?.revokedAt !== null
        ? Promise.resolve()
        : new Promise((resolve) => waiting.set(id, [...(waiting.get(id) ?? []), resolve])),
    list: () => [...byId.values()],
    async create(spec) {
      const { key, secret } = mintKey(spec, now());
      // The store tells the listener above once the key is written (on a replica, once applied here).
      await keys.saveKey(key);
      const { hash: _h, ...plain } = key;
      return { key: plain, secret };
    },
    async revoke(id) {
      // A revoke the store applies reaches markRevoked through the listener above.
      return keys.revokeKey(id, now());
    },
  };
}

/** The secret of an `Authorization: Bearer <key>` header (or a connection_init payload), else null. */
export function bearer(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}

/** The key a graphql-ws connection_init payload carries: `{ authorization: "Bearer …" }` or `{ apiKey }`. */
export function connectionSecret(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  const auth = p['authorization'] ?? p['Authorization'];
  if (typeof auth === 'string') return bearer(auth);
  return typeof p['apiKey'] === 'string' ? p['apiKey'] : null;
}
