import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles } from './support/import-cycles.ts';

// The import table of ARCHITECTURE.md, enforced: imports flow one way, and no file imports itself back.
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const AREAS = [
  'src/server',
  'src/cli',
  'schema',
  'resolvers',
  'src/analytics',
  'src/domain',
  'src/db',
  'src/cache',
  'src/pubsub',
  'src/ingest',
  'src/alerts',
  'src/report',
  'src/cluster',
] as const;
type Area = (typeof AREAS)[number];

/** Which areas each area may import from (itself included). */
const ALLOWED: Readonly<Record<Area, readonly Area[]>> = {
  'src/server': AREAS,
  'src/cli': AREAS,
  schema: ['schema', 'resolvers', 'src/domain', 'src/analytics'],
  // Resolvers also parse uploaded reports and render reports: pure modules over the domain.
  resolvers: ['resolvers', 'src/domain', 'src/analytics', 'src/report', 'src/ingest'],
  'src/analytics': ['src/analytics', 'src/domain'],
  'src/domain': ['src/domain'],
  // Infrastructure: itself and the domain only.
  'src/db': ['src/db', 'src/domain'],
  'src/cache': ['src/cache', 'src/domain'],
  'src/pubsub': ['src/pubsub', 'src/domain'],
  'src/ingest': ['src/ingest', 'src/domain'],
  'src/alerts': ['src/alerts', 'src/domain'],
  'src/report': ['src/report', 'src/domain'],
  'src/cluster': ['src/cluster', 'src/domain'],
};

/** Every .ts file under src/, schema/ and resolvers/, as a path relative to the project root with '/'. */
function sources(): string[] {
  return ['src', 'schema', 'resolvers'].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `${dir}/${f.split(sep).join('/')}`),
  );
}

/** Module specifiers of static imports and re-exports (`from '…'`), bare `import '…'`, and `import('…')`. */
function specifiers(code: string): string[] {
  const found: string[] = [];
  for (const re of [
    /\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ]) {
    for (const m of code.matchAll(re)) found.push(m[1]!);
  }
  return found;
}

function areaOf(path: string): Area | undefined {
  return AREAS.find((a) => path === a || path.startsWith(`${a}/`));
}

interface Edge {
  readonly file: string;
  readonly spec: string;
}

const edges: Edge[] = sources().flatMap((file) =>
  specifiers(readFileSync(join(ROOT, file), 'utf8')).map((spec) => ({ file, spec })),
);
const show = (bad: readonly Edge[]) => bad.map((e) => `${e.file} → ${e.spec}`);

describe('import boundaries', () => {
  it('finds the source files and their imports', () => {
    expect(sources()).toContain('src/server/app.ts');
    expect(edges.some((e) => e.file === 'schema/index.ts' && e.spec === './builder.ts')).toBe(true);
  });

  it('keeps every source file in a known area', () => {
    expect(sources().filter((f) => !areaOf(f))).toEqual([]);
  });

  it('lets each area import only the areas below it', () => {
    const bad = edges.filter(({ file, spec }) => {
      // The package manifest is data (the version), not an area.
      if (!spec.startsWith('.') || spec.endsWith('/package.json')) return false;
      const from = areaOf(file)!;
      const to = areaOf(
        relative(ROOT, resolve(ROOT, dirname(file), spec))
          .split(sep)
          .join('/'),
      );
      return !from || !to || !ALLOWED[from].includes(to);
    });
    expect(show(bad)).toEqual([]);
  });

  it('keeps GraphQL out of src/db', () => {
    const graphql = /^(graphql|graphql-yoga|graphql-ws|@pothos\/.*|@graphql-.*)(\/.*)?$/;
    expect(show(edges.filter((e) => e.file.startsWith('src/db/') && graphql.test(e.spec)))).toEqual([]);
  });

  it('touches @duckdb/node-api only from src/db', () => {
    expect(
      show(edges.filter((e) => !e.file.startsWith('src/db/') && /^@duckdb\/node-api(\/.*)?$/.test(e.spec))),
    ).toEqual([]);
  });

  it('touches Redis (ioredis) only from src/cluster', () => {
    expect(
      show(edges.filter((e) => !e.file.startsWith('src/cluster/') && /^ioredis(\/.*)?$/.test(e.spec))),
    ).toEqual([]);
  });
});

/** The import graph of src/, schema/ and resolvers/: each file → the source files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>(sources().map((f) => [f, []]));
  for (const { file, spec } of edges) {
    if (!spec.startsWith('.')) continue;
    const target = relative(ROOT, resolve(ROOT, dirname(file), spec))
      .split(sep)
      .join('/');
    if (graph.has(target)) graph.get(file)!.push(target);
  }
  return graph;
}

describe('import cycles', () => {
  it('finds every cycle of a small graph, and only those', () => {
    // a → b → c → a is a cycle with d hanging off it; e imports itself; f → g → h and h → f
    // is another; i → j is no cycle, nor is k (a diamond k → l, k → m, l → n, m → n).
    const graph = new Map<string, string[]>([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', []],
      ['e', ['e']],
      ['f', ['g']],
      ['g', ['h']],
      ['h', ['f', 'i']],
      ['i', ['j']],
      ['j', []],
      ['k', ['l', 'm']],
      ['l', ['n']],
      ['m', ['n']],
      ['n', []],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c'], ['e'], ['f', 'g', 'h']]);
    expect(findCycles(new Map([...graph].filter(([k]) => 'ijklmn'.includes(k))))).toEqual([]);
  });

  it('sees the import graph', () => {
    const graph = importGraph();
    expect(graph.get('schema/index.ts')).toContain('schema/builder.ts');
    expect(graph.get('src/db/store.ts')).toContain('src/db/database.ts');
  });

  it('has no import cycle, but among Pothos types in schema/ that must refer to each other', () => {
    const cycles = findCycles(importGraph()).filter((c) => !c.every((f) => f.startsWith('schema/')));
    expect(cycles).toEqual([]);
  });
});

describe('feature ports', () => {
  // Each resolver names its feature's narrow store port (src/domain/<feature>.ts), so it runs
  // over a small fake in a test; the whole Store is for the composition root and the cluster.
  it('keeps the whole Store out of resolvers/', () => {
    const whole = edges.filter(
      ({ file, spec }) =>
        file.startsWith('resolvers/') &&
        spec.endsWith('/domain/ports.ts') &&
        /\bimport\s+type\s*\{[^}]*\b(Store|PositionedStore)\b[^}]*\}\s*from\s*'[^']*\/domain\/ports\.ts'/.test(
          readFileSync(join(ROOT, file), 'utf8'),
        ),
    );
    expect(show(whole)).toEqual([]);
  });
});

// The dashboard is a client of the public API: it imports its own files (its generated
// typed documents included) and its browser libraries, never the server's code.
const DASHBOARD_PACKAGES = /^(uplot|graphql-ws|@graphql-typed-document-node\/core)(\/.*)?$/;

function dashboardSources(): string[] {
  return readdirSync(join(ROOT, 'dashboard/src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `dashboard/src/${f.split(sep).join('/')}`);
}

describe('dashboard boundary', () => {
  const dashEdges: Edge[] = dashboardSources().flatMap((file) =>
    specifiers(readFileSync(join(ROOT, file), 'utf8')).map((spec) => ({ file, spec })),
  );

  it('finds the dashboard and its imports', () => {
    expect(dashboardSources()).toContain('dashboard/src/main.ts');
    expect(dashEdges.some((e) => e.file === 'dashboard/src/main.ts' && e.spec === './api.ts')).toBe(true);
  });

  it('imports only its own files and its browser libraries', () => {
    const bad = dashEdges.filter(({ file, spec }) => {
      if (!spec.startsWith('.')) return !DASHBOARD_PACKAGES.test(spec);
      return !relative(ROOT, resolve(ROOT, dirname(file), spec))
        .split(sep)
        .join('/')
        .startsWith('dashboard/src/');
    });
    expect(show(bad)).toEqual([]);
  });

  it('is imported by no server code', () => {
    const bad = edges.filter(
      ({ file, spec }) =>
        spec.startsWith('.') &&
        relative(ROOT, resolve(ROOT, dirname(file), spec))
          .split(sep)
          .join('/')
          .startsWith('dashboard/'),
    );
    expect(show(bad)).toEqual([]);
  });
});
