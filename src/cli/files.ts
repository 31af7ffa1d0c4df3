import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The files of an allure-results directory that describe its run (src/ingest/allure-run-files.ts reads them). */
const RUN_FILE = /(^|[\\/])(executor\.json|environment\.properties)$/i;

/** Files a directory argument stands for. */
const REPORT_FILE = /\.(xml|json|jsonl|trx|tap|csv|parquet)$/i;

/** A glob as a regular expression over '/'-separated relative paths: `**` any depth, `*` and `?` within a name. */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * Expands the command line's file arguments: a file as is, a directory to the
 * report files under it, a glob (`*`, `?`, `**`; quote it so the shell leaves
 * it alone) to the files it matches. Sorted, without repeats; an argument that
 * matches nothing is an error, named.
 */
export function expandFiles(args: readonly string[], cwd = process.cwd()): string[] {
  const found = new Set<string>();
  for (const arg of args) {
    if (/[*?]/.test(arg)) {
      const parts = arg.split('/');
      const fixed = parts
        .slice(
          0,
          parts.findIndex((p) => /[*?]/.test(p)),
        )
        .join('/');
      const base = resolve(cwd, fixed || (arg.startsWith('/') ? '/' : '.'));
      const re = globRegExp(arg.slice(fixed ? fixed.length + 1 : 0));
      const hits = (() => {
        try {
          return walk(base);
        } catch {
          return [];
        }
      })().filter((f) => re.test(relative(base, f).split(sep).join('/')));
      if (!hits.length) throw new Error(`no file matches ${arg}`);
      for (const f of hits) found.add(isAbsolute(arg) ? f : relative(cwd, f));
      continue;
    }
    let s;
    try {
      s = statSync(resolve(cwd, arg));
    } catch {
      throw new Error(`no such file: ${arg}`);
    }
    if (s.isDirectory()) {
      const hits = walk(resolve(cwd, arg)).filter((f) => REPORT_FILE.test(f));
      if (!hits.length)
        throw new Error(`${arg} holds no .xml, .json, .jsonl, .trx, .tap, .csv or .parquet file`);
      for (const f of hits) found.add(isAbsolute(arg) ? f : relative(cwd, f));
    } else found.add(arg);
  }
  return [...found].sort();
}

/** One Allure results directory among the expanded files: its result, container and globals files, executor.json and environment.properties. */
export interface AllureSetFiles {
  readonly dir: string;
  readonly files: string[];
  /** Other files of the directory the expansion matched (attachments, categories.json, …), not read. */
  readonly ignored: number;
}

/**
 * Takes the Allure results sets out of the expanded files: a directory with a
 * `*-result.json` file directly in it is one set (its `*-result.json`,
 * `*-container.json` and `*-globals.json` files, and the run's `executor.json`
 * and `environment.properties`; its other files, such as `.json`/`.xml`
 * attachments, are not reports). The rest are report files as before.
 */
export function groupAllureSets(files: readonly string[]): { sets: AllureSetFiles[]; rest: string[] } {
  const dirs = new Map<string, AllureSetFiles>();
  for (const f of files) {
    if (!/-result\.json$/i.test(f)) continue;
    const dir = dirname(f);
    if (!dirs.has(dir)) dirs.set(dir, { dir, files: [], ignored: 0 });
  }
  const rest: string[] = [];
  const ignored = new Map<string, number>();
  for (const f of files) {
    const set = dirs.get(dirname(f));
    if (!set) rest.push(f);
    else if (/-(result|container|globals)\.json$/i.test(f) || RUN_FILE.test(f)) set.files.push(f);
    else ignored.set(set.dir, (ignored.get(set.dir) ?? 0) + 1);
  }
  // environment.properties is no report file, so the expansion does not list it: look for it.
  for (const set of dirs.values()) {
    const env = join(set.dir, 'environment.properties');
    if (!set.files.includes(env) && existsSync(env)) set.files.push(env);
  }
  const sets = [...dirs.values()].map((s) => ({ ...s, ignored: ignored.get(s.dir) ?? 0 }));
  return { sets, rest };
}
