import {
  defaultFieldResolver,
  getNamedType,
  GraphQLInputObjectType,
  GraphQLObjectType,
  type GraphQLArgument,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { forbidden, unauthenticated, type Access, type Scope } from '../domain/access.ts';
import type { Alert, AlertRule } from '../domain/alerts.ts';
import type { Deps } from '../domain/ports.ts';
import type { IngestedEvent, Result } from '../domain/types.ts';
import type { Keyring } from './keyring.ts';
import { guardSecrets } from './secrets.ts';

/**
 * The one place GraphQL checks API keys: `guardSchema` wraps every root field
 * with the rule of that field (src/server/auth.ts authenticates the request first).
 */

/** What the guard reads from the GraphQL context: present whenever the server checks keys. */
export interface AuthContext {
  readonly auth?: { readonly keyring: Keyring; readonly access: Access | null };
}

type Args = Record<string, unknown>;
type Ctx = Deps & AuthContext;

interface Rule {
  /** Checks the caller against the arguments and returns the arguments to run with. */
  before(access: Access, args: Args, ctx: Ctx, field: string): Promise<Args> | Args;
  /** Checks (or narrows) the answer. */
  after?(access: Access, out: unknown, field: string, ctx: Ctx): unknown;
}

type Filter = { readonly project?: readonly string[] | null } & Record<string, unknown>;

/** A read of a slice: its `filter.project` narrowed to the key's projects, so the store's SQL binds them. */
const readFilter: Rule = {
  before(access, args, _ctx, field) {
    access.require('read', field);
    const filter = (args['filter'] ?? null) as Filter | null;
    const project = access.projectFilter(filter?.project);
    if (project === filter?.project) return args;
    return { ...args, filter: { ...(filter ?? {}), project } };
  },
};

/** Fields without a slice filter: a project-limited key may not use them. */
const everyProject = (scope: Scope): Rule => ({
  before(access, args, _ctx, field) {
    access.require(scope, field, null);
    return args;
  },
});

const projectOfObject = (o: unknown): string | null =>
  typeof o === 'object' && o !== null && typeof (o as { project?: unknown }).project === 'string'
    ? (o as { project: string }).project
    : null;

/** Fields answering one stored object with a `project`: FORBIDDEN when it is another project's. */
const readOne: Rule = {
  before(access, args, _ctx, field) {
    access.require('read', field);
    return args;
  },
  after(access, out, field) {
    const parts =
      typeof out === 'object' && out !== null && 'base' in out && 'head' in out
        ? [(out as { base: unknown }).base, (out as { head: unknown }).head]
        : [out];
    for (const part of parts) access.require('read', field, projectOfObject(part));
    return out;
  },
};

/** A rule's projects: those its filter names; null (every project) when it names none. */
const ruleProjects = (rule: Pick<AlertRule, 'filter'> | null | undefined): readonly string[] | null =>
  rule?.filter.project?.length ? rule.filter.project : null;

function requireAll(access: Access, scope: Scope, what: string, projects: readonly string[] | null): void {
  if (projects === null) access.require(scope, what, null);
  else for (const p of projects) access.require(scope, what, p);
}

const ruleCovered = (access: Access, rule: AlertRule): boolean => {
  const ps = ruleProjects(rule);
  return access.everyProject || (ps !== null && ps.every((p) => access.covers(p)));
};

/** An alert's projects: its group's, else its rule's. */
function alertVisible(access: Access, a: Alert): boolean {
  if (a.group.project) return access.covers(a.group.project);
  return ruleCovered(access, a.rule);
}

const manageRule: Rule = {
  async before(access, args, ctx, field) {
    const input = args['input'] as { filter?: { project?: readonly string[] | null } | null } | undefined;
    if (input)
      requireAll(access, 'admin', field, input.filter?.project?.length ? input.filter.project : null);
    else access.require('admin', field);
    if (typeof args['id'] === 'string') {
      const existing = await ctx.store.rule(args['id']);
      if (existing) requireAll(access, 'admin', field, ruleProjects(existing));
    }
    return args;
  },
};

const triageAlert: Rule = {
  async before(access, args, ctx, field) {
    access.require('ingest', field);
    const alert = await ctx.store.alert(String(args['id']));
    if (alert && !alertVisible(access, alert))
      throw forbidden(
        `${field}: alert ${alert.id} is outside ${access.describeProjects()} of key ${access.key.id}.`,
      );
    return args;
  },
};

const ingestInto = (project: (args: Args) => unknown): Rule => ({
  before(access, args, _ctx, field) {
    const p = project(args);
    access.require('ingest', field, typeof p === 'string' ? p : null);
    return args;
  },
});

/**
 * Whether the key covers a refetched node: a run's or test's project, a result's test's
 * project, an alert's as `alerts` shows it. Anything else needs every project.
 */
async function nodeVisible(access: Access, ctx: Ctx, o: unknown): Promise<boolean> {
  if (access.everyProject || o === null) return true;
  if (typeof o !== 'object') return false;
  if ('firedAt' in o) return alertVisible(access, o as Alert);
  if ('testId' in o && 'runId' in o)
    return access.covers((await ctx.loaders.test.load((o as Result).testId))?.project);
  return access.covers(projectOfObject(o));
}

const outsideNode = (access: Access, field: string): Error =>
  forbidden(`${field}: the object is outside ${access.describeProjects()} of key ${access.key.id}.`);

/** `node` refuses (FORBIDDEN) an object of another project, as `run(id)` and `test(id)` do; `nodes` refuses each such item. */
const readNode: Rule = {
  before: readOne.before,
  async after(access, out, field, ctx) {
    if (!Array.isArray(out)) {
      if (await nodeVisible(access, ctx, out)) return out;
      throw outsideNode(access, field);
    }
    // An Error in a list is that item's error (its path names the index); the other items stay.
    return Promise.all(
      out.map(async (o: unknown, i) =>
        (await nodeVisible(access, ctx, o)) ? o : outsideNode(access, `${field}[${i}]`),
      ),
    );
  },
};

const RULES: Readonly<Record<'Query' | 'Mutation', Readonly<Record<string, Rule>>>> = {
  Query: {
    // `gateway` has no own rule: its counts (runs, tests, results) span every project, so it
    // needs a key for every project, as any field without a slice filter does.
    run: readOne,
    test: readOne,
    // Keys are admin business whatever their projects: listing them names every key.
    apiKeys: everyProject('admin'),
    node: readNode,
    nodes: readNode,
    compareRuns: readOne,
    alertRule: {
      before: readOne.before,
      after(access, out, field) {
        if (!ruleCovered(access, out as AlertRule))
          throw forbidden(
            `${field}: the rule watches projects outside ${access.describeProjects()} of key ${access.key.id}.`,
          );
        return out;
      },
    },
    // Rules are a small table: a project-limited key sees those that watch only its projects.
    alertRules: {
      before: readOne.before,
      after: (access, out) => (out as AlertRule[]).filter((r) => ruleCovered(access, r)),
    },
  },
  Mutation: {
    ingest: ingestInto((a) => (a['input'] as { run?: { project?: unknown } } | undefined)?.run?.project),
    ingestJUnit: ingestInto((a) => a['project']),
    createAlertRule: manageRule,
    updateAlertRule: manageRule,
    deleteAlertRule: manageRule,
    acknowledgeAlert: triageAlert,
    resolveAlert: triageAlert,
  },
};

/** The rule of a root field: its own, a slice read when it takes a `filter`, else every project needed. */
function ruleOf(
  type: 'Query' | 'Mutation' | 'Subscription',
  name: string,
  args: readonly GraphQLArgument[],
): Rule {
  const own = type === 'Subscription' ? undefined : RULES[type][name];
  if (own) return own;
  const filter = args.find((a) => a.name === 'filter');
  const filterType = filter && getNamedType(filter.type);
  if (
    type !== 'Mutation' &&
    filterType instanceof GraphQLInputObjectType &&
    'project' in filterType.getFields()
  )
    return readFilter;
  return everyProject(type === 'Mutation' ? 'admin' : 'read');
}

function accessOf(ctx: Ctx): Access | null {
  const auth = ctx.auth;
  if (!auth) return null;
  // No key was sent: authenticate(null) throws the UNAUTHENTICATED error that says how to send one.
  if (!auth.access) return auth.keyring.authenticate(null);
  if (!auth.keyring.isActive(auth.access.key.id))
    throw unauthenticated(`API key ${auth.access.key.id} was revoked.`);
  return auth.access;
}

/**
 * Events of a subscription the key may see, until the key is revoked: each
 * event is checked against the key's projects and the key itself, and a
 * revocation ends the stream at once.
 */
async function* guardStream<T>(
  source: AsyncIterable<T>,
  access: Access,
  keyring: Keyring,
  visible: (event: T) => boolean,
): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const revoked = keyring.revoked(access.key.id).then(() => null);
  try {
    for (;;) {
      const next = await Promise.race([it.next(), revoked]);
      if (next === null || next.done || !keyring.isActive(access.key.id)) return;
      if (visible(next.value)) yield next.value;
    }
  } finally {
    await it.return?.();
  }
}

function visibleEvent(access: Access, event: unknown): boolean {
  if (access.everyProject) return true;
  const e = event as Partial<IngestedEvent> & Partial<Alert>;
  if (e.run) return access.covers(e.run.project);
  if (e.group && e.rule) return alertVisible(access, e as Alert);
  return false;
}

const guarded = new WeakSet<GraphQLSchema>();

/**
 * Wraps every root field of the schema (in place, once) so that, when the
 * context carries `auth`, the caller's key is checked before the resolver
 * runs, slice filters are narrowed to its projects, single objects of other
 * projects are refused, and subscription events are filtered and end with
 * the key. Without `auth` in the context (keys off, the CLI) fields run as
 * they are. New root fields are covered by default: with a `filter` argument
 * they read a narrowed slice, without one they need a key for every project.
 * Secret fields (webhook URLs) are whole only for admin keys (secrets.ts).
 */
export function guardSchema(schema: GraphQLSchema): GraphQLSchema {
  if (guarded.has(schema)) return schema;
  guarded.add(schema);
  guardSecrets(schema);
  const roots = [
    ['Query', schema.getQueryType()],
    ['Mutation', schema.getMutationType()],
    ['Subscription', schema.getSubscriptionType()],
  ] as const;
  for (const [type, root] of roots) {
    if (!(root instanceof GraphQLObjectType)) continue;
    for (const [name, field] of Object.entries(root.getFields())) {
      const rule = ruleOf(type, name, field.args);
      if (type === 'Subscription') {
        const subscribe = field.subscribe;
        if (!subscribe) continue;
        const wrapped: GraphQLFieldResolver<unknown, Ctx, Args> = async (src, args, ctx, info) => {
          const access = accessOf(ctx);
          if (!access || !ctx.auth) return subscribe(src, args, ctx, info);
          const narrowed = await rule.before(access, args, ctx, name);
          const stream = (await subscribe(src, narrowed, ctx, info)) as AsyncIterable<unknown>;
          return guardStream(stream, access, ctx.auth.keyring, (e) => visibleEvent(access, e));
        };
        field.subscribe = wrapped;
        continue;
      }
      const resolve = field.resolve ?? defaultFieldResolver;
      const wrapped: GraphQLFieldResolver<unknown, Ctx, Args> = async (src, args, ctx, info) => {
        const access = accessOf(ctx);
        if (!access) return resolve(src, args, ctx, info);
        const narrowed = await rule.before(access, args, ctx, name);
        const out: unknown = await resolve(src, narrowed, ctx, info);
        return rule.after ? rule.after(access, out, name, ctx) : out;
      };
      field.resolve = wrapped;
    }
  }
  return schema;
}
