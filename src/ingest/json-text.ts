import { badInput } from '../domain/errors.ts';

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * JSON.parse with refusals that say where: `report.json:3:14: Expected ',' …`.
 * Nesting deeper than `maxDepth` is refused before parsing.
 */
export function parseJson(text: string, fileName: string, maxDepth: number): unknown {
  checkDepth(text, fileName, maxDepth);
  try {
    return JSON.parse(text);
  } catch {
    // V8's messages do not always give a position (Node 20: "Unexpected token ']', …"), so find it.
    const { offset, reason } = syntaxError(text);
    const { line, column } = lineColumn(text, offset);
    throw badInput(`${fileName}:${line}:${column}: not valid JSON: ${reason}`);
  }
}

/** Where a text that JSON.parse refused first goes wrong (depth is already bounded). */
function syntaxError(text: string): { offset: number; reason: string } {
  let i = 0;
  class Bad extends Error {
    constructor(
      readonly offset: number,
      readonly reason: string,
    ) {
      super(reason);
    }
  }
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const found = () => (i >= text.length ? 'the end of the text' : JSON.stringify(text[i]));
  const expect = (what: string): never => {
    throw new Bad(i, `expected ${what}, found ${found()}`);
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') expect('a double-quoted property name');
        string();
        ws();
        if (text[i] !== ':') expect("':' after a property name");
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else expect("',' or '}' after a property value");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else expect("',' or ']' after a list item");
      }
    }
    if (c === '"') return string();
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) expect('a value');
    i += m![0].length;
  };
  const string = (): void => {
    i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if (i >= text.length) throw new Bad(i, 'a string is not closed');
      if (c === 0x22) return void i++;
      if (c < 0x20)
        throw new Bad(i, 'a control character (such as a raw line break) inside a string; escape it');
      if (c === 0x5c) {
        if (!/^(["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(text.slice(i + 1, i + 6)))
          throw new Bad(i, 'a bad escape sequence in a string');
        i += text[i + 1] === 'u' ? 6 : 2;
      } else i++;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) expect('the end of the text after the JSON value');
    return { offset: text.length, reason: 'JSON.parse refused it' };
  } catch (e) {
    if (e instanceof Bad) return { offset: e.offset, reason: e.reason };
    throw e;
  }
}

function checkDepth(text: string, fileName: string, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > maxDepth) {
        const { line, column } = lineColumn(text, i);
        throw badInput(
          `${fileName}:${line}:${column}: the JSON nests deeper than REPORT_LIMITS.maxDepth (${maxDepth})`,
        );
      }
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
}
