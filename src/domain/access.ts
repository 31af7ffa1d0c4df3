import { AssayError } from './errors.ts';

/**
 * What an API key may do. Each scope includes the ones below it:
 * `admin` (alert rules, webhooks, retention, keys) ⊃ `ingest` (uploads, the
 * ingest mutations, alert triage) ⊃ `read` (every query and subscription).
 */
const SCOPES = ['read', 'ingest', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

const RANK: Readonly<Record<Scope, number>> = { read: 1, ingest: 2, admin: 3 };

export const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);

/** A stored API key as the server knows it (never its secret). */
export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly scope: Scope;
  /** The projects it may touch; null: every project. */
  readonly projects: readonly string[] | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export const unauthenticated = (message: string): AssayError => new AssayError('UNAUTHENTICATED', message);

/**
 * The caller of one request or subscription, authenticated by an API key.
 * Every check of scope and projects goes through here, so the GraphQL guard,
 * the upload paths and /metrics answer alike.
 */
export class Access {
  readonly key: ApiKey;

  constructor(key: ApiKey) {
    this.key = key;
  }

  /** Whether the key's scope is `scope` or above it. */
  has(scope: Scope): boolean {
    return RANK[this.key.scope] >= RANK[scope];
  }

  /** Whether the key covers every project (it was created without --project). */
  get everyProject(): boolean {
    return this.key.projects === null;
  }

  covers(project: string | null | undefined): boolean {
    return this.key.projects === null || (project != null && this.key.projects.includes(project));
  }

  /** FORBIDDEN unless the key has `scope` (and, when given, covers `project`; null: every project). */
  require(scope: Scope, what: string, project?: string | null): void {
    if (!this.has(scope))
      throw forbidden(
        `${what} needs a key with scope ${scope}; key ${this.key.id} has scope ${this.key.scope}.`,
      );
    if (project === undefined) return;
    if (project === null ? !this.everyProject : !this.covers(project))
      throw forbidden(
        `${what} touches ${project === null ? 'every project' : `project "${project}"`}; key ${this.key.id} may only use ${this.describeProjects()}.`,
      );
  }

  /**
   * The `project` list a filter must carry for this key: the requested
   * projects when the key covers them all (FORBIDDEN naming the others when
   * not), the key's own projects when none were requested.
   */
  projectFilter(requested: readonly string[] | null | undefined): readonly string[] | null | undefined {
    const mine = this.key.projects;
    if (mine === null) return requested;
    if (!requested?.length) return mine;
    const outside = requested.filter((p) => !mine.includes(p));
    if (outside.length)
      throw forbidden(
        `key ${this.key.id} may not read project${outside.length > 1 ? 's' : ''} ${outside.map((p) => `"${p}"`).join(', ')}; it may only use ${this.describeProjects()}.`,
      );
    return requested;
  }

  describeProjects(): string {
    const mine = this.key.projects;
    return mine === null
      ? 'every project'
      : `project${mine.length > 1 ? 's' : ''} ${mine.map((p) => `"${p}"`).join(', ')}`;
  }
}

export const forbidden = (message: string): AssayError => new AssayError('FORBIDDEN', message);

/** What an API key is made of (its secret is generated, shown once). */
export interface NewApiKey {
  readonly name: string;
  readonly scope: Scope;
  /** null: every project. */
  readonly projects: readonly string[] | null;
}

/**
 * The running server's keys as the `apiKeys`, `createApiKey` and `revokeApiKey` fields see them
 * (src/server/keyring.ts implements it): a change takes effect at once, without a restart.
 */
export interface ApiKeyAdmin {
  list(): ApiKey[];
  create(spec: NewApiKey): Promise<{ key: ApiKey; secret: string }>;
  /** False when no key that is not revoked yet has the id. */
  revoke(id: string): Promise<boolean>;
}

/** A key as the database holds it: with the SHA-256 of its secret, never the secret. */
export interface StoredApiKey extends ApiKey {
  readonly hash: string;
}

/** A key write applied to a database: by this replica or, through the shared log, by another. */
export type KeyChange =
  | { readonly kind: 'saved'; readonly key: StoredApiKey }
  | { readonly kind: 'revoked'; readonly id: string; readonly at: Date };

/**
 * The API keys' port of the Store. With replicas, `saveKey` and `revokeKey` go through
 * the shared log like every write, so a key created or revoked on one replica is known
 * to all; `onKeyChange` tells the server's keyring of each change as it is applied here.
 */
export interface KeyStore {
  /** Every key, revoked ones included, oldest first. */
  listKeys(): Promise<StoredApiKey[]>;
  saveKey(key: StoredApiKey): Promise<void>;
  /** False when no key that is not revoked yet has the id. */
  revokeKey(id: string, at: Date): Promise<boolean>;
  /** Calls `listener` after each key write this database applies; returns the unsubscribe. */
  onKeyChange(listener: (change: KeyChange) => void): () => void;
}
