/**
 * The two files of an allure-results directory that describe the run rather
 * than a test: `executor.json` (the CI that ran it, as Allure's CI plugins
 * write it) and `environment.properties` (Java properties the team writes:
 * browser, stand, versions). Both become run tags; neither is a report of
 * its own, and neither changes the run id derived from the results.
 */
import { badInput } from '../domain/errors.ts';
import type { Shape } from './ctrf-shape.ts';

export type AllureRunFileKind = 'executor' | 'environment';

/** Whether a file of the directory describes the run, by its name (in any folder). */
export function allureRunFileKind(name: string): AllureRunFileKind | null {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).toLowerCase();
  return base === 'executor.json' ? 'executor' : base === 'environment.properties' ? 'environment' : null;
}

/**
 * `executor.json` as run tags: `ci` (the executor's type, else its name: jenkins, github, …),
 * `ci.build` (buildName), `ci.build_order` (buildOrder) and `ci.build_url` (buildUrl).
 */
export function readExecutor(doc: Shape): [string, string][] {
  doc.object();
  const tags: [string, string][] = [];
  const put = (key: string, value: string | null): void => {
    const v = value?.trim();
    if (v) tags.push([key, v]);
  };
  put('ci', doc.at('type').optionalString() ?? doc.at('name').optionalString());
  put('ci.build', doc.at('buildName').optionalString());
  put('ci.build_order', doc.at('buildOrder').optionalLabel());
  put('ci.build_url', doc.at('buildUrl').optionalString());
  return tags;
}

const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

/** One logical line of a properties file with its escapes undone (`\uXXXX`, `\t`, `\=`, …). */
function unescape(text: string, file: string, line: number): string {
  return text.replace(/\\(u[0-9a-fA-F]{0,4}|.)/g, (_m, e: string) => {
    if (e.startsWith('u')) {
      if (e.length !== 5)
        throw badInput(`${file}:${line}: "\\${e}" is not a \\uXXXX escape (four hex digits)`);
      return String.fromCharCode(parseInt(e.slice(1), 16));
    }
    return ESCAPES[e] ?? e;
  });
}

/**
 * `environment.properties` as run tags, read as Java reads properties: `key=value`,
 * `key: value` or `key value`; `#` and `!` start comments; a line ending in an odd
 * number of backslashes continues on the next; escapes are undone. A later key wins.
 */
export function readEnvironment(text: string, file: string): [string, string][] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const found = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let logical = lines[i]!.replace(/^[ \t\f]+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    }
    // The key ends at the first unescaped '=', ':' or whitespace.
    const m = /^((?:\\.|[^\\=:\s])*)[ \t\f]*[=:]?[ \t\f]*(.*)$/s.exec(logical)!;
    const key = unescape(m[1]!, file, first);
    if (key !== '') found.set(key, unescape(m[2]!, file, first));
  }
  return [...found];
}
