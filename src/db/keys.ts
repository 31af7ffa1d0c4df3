import { createHash, randomBytes } from 'node:crypto';
import { isScope, type KeyChange, type KeyStore, type Scope, type StoredApiKey } from '../domain/access.ts';
import type { Database } from './database.ts';
import { ts } from './values.ts';

/**
 * API keys in the `api_keys` table (migration 8). A secret is 32 random bytes
 * (256 bits), shown once when the key is created; only its SHA-256 is stored.
 * A fast unsalted hash is enough for secrets of that entropy: nobody can guess
 * one from its hash, and salting or stretching only protects low-entropy
 * passwords. The secret carries the key id (`assay_<id>_<random>`) so logs and
 * errors can name a key without its secret.
 */
const SECRET_PREFIX = 'assay_';

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

interface KeyRow extends Record<string, unknown> {
  id: string;
  name: string;
  scope: string;
  projects: string | null;
  secret_sha256: string;
  created_ms: number | bigint;
  revoked_ms: number | bigint | null;
}

const toKey = (r: KeyRow): StoredApiKey => ({
  id: r.id,
  name: r.name,
  scope: isScope(r.scope) ? r.scope : 'read',
  projects: r.projects === null ? null : (JSON.parse(r.projects) as string[]),
  createdAt: new Date(Number(r.created_ms)),
  revokedAt: r.revoked_ms === null ? null : new Date(Number(r.revoked_ms)),
  hash: r.secret_sha256,
});

/** Every key, revoked ones included, oldest first, each with the hash of its secret. */
export async function listKeys(db: Database): Promise<StoredApiKey[]> {
  const rows = await db.query<KeyRow>(
    `SELECT id, name, scope, projects, secret_sha256, epoch_ms(created_at) AS created_ms,
            epoch_ms(revoked_at) AS revoked_ms
       FROM api_keys ORDER BY created_at, id`,
  );
  return rows.map(toKey);
}

/** A new key and its secret, not yet stored: the id, secret and time are fixed before the write (a replica logs the key). */
export function mintKey(
  spec: { readonly name: string; readonly scope: Scope; readonly projects: readonly string[] | null },
  now: Date,
): { key: StoredApiKey; secret: string } {
  const id = randomBytes(6).toString('hex');
  const secret = `${SECRET_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  const projects = spec.projects === null ? null : [...new Set(spec.projects)];
  return {
    key: {
      id,
      name: spec.name,
      scope: spec.scope,
      projects,
      createdAt: now,
      revokedAt: null,
      hash: hashSecret(secret),
    },
    secret,
  };
}

/** Stores a key minted by `mintKey`; storing the same key again changes nothing. */
async function saveKey(db: Database, key: StoredApiKey): Promise<void> {
  await db.write((tx) =>
    tx.query(
      `INSERT INTO api_keys (id, name, scope, projects, secret_sha256, created_at, revoked_at)
       SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM api_keys WHERE id = $1)`,
      [
        key.id,
        key.name,
        key.scope,
        key.projects === null ? null : JSON.stringify(key.projects),
        key.hash,
        ts(key.createdAt),
        key.revokedAt === null ? null : ts(key.revokedAt),
      ],
    ),
  );
}

/** Stores a new key; returns it with its secret, which is not kept anywhere. */
export async function createKey(
  db: Database,
  spec: { readonly name: string; readonly scope: Scope; readonly projects: readonly string[] | null },
  now: Date,
): Promise<{ key: StoredApiKey; secret: string }> {
  const minted = mintKey(spec, now);
  await saveKey(db, minted.key);
  return minted;
}

/** Marks a key revoked; false when no unrevoked key has the id. */
export async function revokeKey(db: Database, id: string, now: Date): Promise<boolean> {
  const rows = await db.write((tx) =>
    tx.query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id', [
      ts(now),
      id,
    ]),
  );
  return rows.length > 0;
}

/** The Store's keys port over one database, telling its listeners of each key write. */
export function keyStore(db: Database): KeyStore {
  const listeners = new Set<(change: KeyChange) => void>();
  const tell = (change: KeyChange): void => {
    for (const l of listeners) l(change);
  };
  return {
    listKeys: () => listKeys(db),
    async saveKey(key) {
      await saveKey(db, key);
      tell({ kind: 'saved', key });
    },
    async revokeKey(id, at) {
      const revoked = await revokeKey(db, id, at);
      if (revoked) tell({ kind: 'revoked', id, at });
      return revoked;
    },
    onKeyChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
