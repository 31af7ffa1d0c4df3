import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Files a directory argument stands for. */
const REPORT_FILE = /\.(xml|json|trx|tap|csv|parquet)$/i;

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
      if (!hits.length) throw new Error(`${arg} holds no .xml, .json, .trx, .tap, .csv or .parquet file`);
      for (const f of hits) found.add(isAbsolute(arg) ? f : relative(cwd, f));
    } else found.add(arg);
  }
  return [...found].sort();
}

/** Whether a directory holds an Allure results set: a `*-result.json` file directly inside it. */
function isAllureResults(dir: string): boolean {
  try {
    return readdirSync(dir, { withFileTypes: true }).some(
      (e) => e.isFile() && /-result\.json$/i.test(e.name),
    );
  } catch {
    return false;
  }
}

/**
 * Splits the command line's file arguments into Allure results directories
 * (each read as one run's set of files) and the rest (expanded by expandFiles).
 */
export function splitAllureDirectories(
  args: readonly string[],
  cwd = process.cwd(),
): { allure: string[]; rest: string[] } {
  const allure: string[] = [];
  const rest: string[] = [];
  for (const arg of args) {
    const path = resolve(cwd, arg);
    let dir = false;
    try {
      dir = !/[*?]/.test(arg) && statSync(path).isDirectory();
    } catch {
      dir = false;
    }
    if (dir && isAllureResults(path)) allure.push(arg);
    else rest.push(arg);
  }
  return { allure, rest };
}

/** The files of an Allure results directory the parser reads (results, containers, globals), sorted. */
export function allureFiles(dir: string, cwd = process.cwd()): string[] {
  return readdirSync(resolve(cwd, dir), { withFileTypes: true })
    .filter((e) => e.isFile() && /-(result|container|globals)\.json$/i.test(e.name))
    .map((e) => join(dir, e.name))
    .sort();
}
