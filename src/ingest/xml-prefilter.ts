import { badInput } from '../domain/errors.ts';
import type { Warnings } from './warnings.ts';

/**
 * A pass over the XML text before saxes sees it, for what real reports get
 * wrong that saxes would refuse badly or not at all:
 *
 * - whitespace or a BOM before `<?xml …?>` (hand-edited or concatenated
 *   files): dropped, with a warning; saxes positions are shifted back so
 *   refusals still name the file's own lines and columns;
 * - content that is not XML: refused at its first character, naming TeamCity
 *   service messages (`##teamcity[…]`, Codeception's `--report`) when it is that;
 * - characters XML 1.0 forbids (C0 controls but tab, LF, CR; U+FFFE, U+FFFF),
 *   typically the ESC of terminal colour codes in a `system-out` or failure
 *   text: each is replaced by U+FFFD, one character for one, so positions stay
 *   right; one warning;
 * - a bare `&` in text or an attribute value (`a && b`): saxes reads it as the
 *   start of an entity reference and scans on, refusing much later ("unclosed
 *   tag … the report ends"). It is refused at the `&` itself.
 *
 * Comments, CDATA sections, processing instructions and the DOCTYPE are
 * tracked so that an `&` inside them is left alone.
 */
export class XmlPrefilter {
  /** Lines dropped before `<?xml` (saxes's line 1 is the file's line 1 + this). */
  lineShift = 0;
  /** Columns dropped on the `<?xml` line (saxes's column on its line 1 is this many less). */
  columnShift = 0;
  /** Forbidden characters replaced by U+FFFD. */
  replaced = 0;
  /** Whether an ESC was among them (so "\uFFFD[31m" is a colour code). */
  replacedEsc = false;
  #firstReplaced = '';

  #state = State.Text;
  #line = 1;
  #column = 1;
  #afterCr = false;
  /** Characters seen in the current `<!…` opener, a comment's dashes, a CDATA's brackets, a PI's '?'. */
  #seen = '';
  #count = 0;
  #quote = '';
  #depth = 0;
  /** The entity reference being read: its start, what it returns to, its text after '&'. */
  #ref = { line: 0, column: 0, back: State.Text, text: '' };

  constructor(
    private readonly fileName: string,
    private readonly warnings: Warnings,
  ) {}

  /** The file's own position of a position saxes reports (1-based columns). */
  position(line: number, column: number): { line: number; column: number } {
    return { line: line + this.lineShift, column: line === 1 ? column + this.columnShift : column };
  }

  async *filter(chunks: AsyncIterable<string>): AsyncGenerator<string> {
    let head: string | null = '';
    for await (const chunk of chunks) {
      if (head !== null) {
        head += chunk;
        if (!leadDecidable(head)) continue;
        const rest = this.#lead(head);
        head = null;
        if (rest !== '') yield this.#scan(rest);
      } else yield this.#scan(chunk);
    }
    if (head !== null) {
      const rest = this.#lead(head);
      if (rest !== '') yield this.#scan(rest);
    }
    if (this.replaced > 0) {
      this.warnings.add(
        'control-characters',
        `replaced ${this.replaced} character${this.replaced === 1 ? '' : 's'} that XML 1.0 forbids (first ${this.#firstReplaced}) with U+FFFD${this.replacedEsc ? '; terminal colour codes they started are dropped from messages and traces' : ''}`,
      );
    }
  }

  /** Checks the start of the file and returns the text to scan (without a dropped lead). */
  #lead(head: string): string {
    const lead = /^[\s\uFEFF]*/.exec(head)![0];
    const rest = head.slice(lead.length);
    const { line, column } = advance(lead);
    if (rest === '' || rest.startsWith('<')) {
      if (lead !== '' && (rest.startsWith('<?xml') || lead.includes('\uFEFF'))) {
        this.lineShift = line - 1;
        this.columnShift = column - 1;
        this.#line = line;
        this.#column = column;
        this.warnings.add(
          'leading-whitespace',
          `the report starts with ${lead.includes('\uFEFF') ? 'a byte order mark or whitespace' : 'whitespace'} before ${rest.startsWith('<?xml') ? 'its <?xml declaration' : 'its first element'}; dropped`,
        );
        return rest;
      }
      return head;
    }
    const at = `${this.fileName}:${line}:${column}`;
    if (rest.startsWith('##teamcity[')) {
      throw badInput(
        `${at}: these are TeamCity service messages (##teamcity[…]), not JUnit XML: have the test runner write a JUnit XML report instead (Codeception: --xml)`,
      );
    }
    throw badInput(
      `${at}: not XML: a JUnit report starts with an element such as <testsuites> (found ${JSON.stringify([...rest][0])})`,
    );
  }

  #scan(text: string): string {
    let out: string[] | null = null;
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const fast = FAST[this.#state];
      if (fast !== undefined) {
        fast.lastIndex = i;
        const m = fast.exec(text);
        const next = m === null ? text.length : m.index;
        if (next > i) {
          this.#column += next - i;
          this.#afterCr = false;
          i = next;
          if (i >= text.length) break;
        }
      }
      const c = text.charCodeAt(i);
      if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) {
        if (this.replaced === 0)
          this.#firstReplaced = `U+${c.toString(16).toUpperCase().padStart(4, '0')} at ${this.#line}:${this.#column}`;
        this.replaced += 1;
        if (c === 0x1b) this.replacedEsc = true;
        out ??= [];
        out.push(text.slice(from, i), '\uFFFD');
        from = i + 1;
        this.#step(0xfffd);
      } else this.#step(c);
      if (c === 0x0a) {
        if (!this.#afterCr) this.#line += 1;
        this.#column = 1;
        this.#afterCr = false;
      } else if (c === 0x0d) {
        this.#line += 1;
        this.#column = 1;
        this.#afterCr = true;
      } else {
        this.#afterCr = false;
        if (c < 0xdc00 || c > 0xdfff) this.#column += 1; // the low half of a surrogate pair is the same character
      }
    }
    if (out === null) return text;
    out.push(text.slice(from));
    return out.join('');
  }

  /** Moves the markup state machine past one character (before the position moves past it). */
  #step(c: number): void {
    const ch = String.fromCharCode(c);
    switch (this.#state) {
      case State.Text:
        if (ch === '<') this.#state = State.Lt;
        else if (ch === '&') this.#startRef(State.Text);
        return;
      case State.Lt:
        if (ch === '!') {
          this.#state = State.Bang;
          this.#seen = '';
        } else if (ch === '?') {
          this.#state = State.Pi;
          this.#count = 0;
        } else {
          this.#state = State.Tag;
          this.#step(c);
        }
        return;
      case State.Bang:
        this.#seen += ch;
        if (this.#seen === '--') {
          this.#state = State.Comment;
          this.#count = 0;
        } else if (this.#seen === '[CDATA[') {
          this.#state = State.Cdata;
          this.#count = 0;
        } else if (!'--'.startsWith(this.#seen) && !'[CDATA['.startsWith(this.#seen)) {
          this.#state = State.Decl;
          this.#quote = '';
          this.#depth = 0;
          this.#step(c);
        }
        return;
      case State.Comment:
        if (ch === '-') this.#count += 1;
        else {
          if (ch === '>' && this.#count >= 2) this.#state = State.Text;
          this.#count = 0;
        }
        return;
      case State.Cdata:
        if (ch === ']') this.#count += 1;
        else {
          if (ch === '>' && this.#count >= 2) this.#state = State.Text;
          this.#count = 0;
        }
        return;
      case State.Pi:
        if (ch === '>' && this.#count > 0) this.#state = State.Text;
        this.#count = ch === '?' ? 1 : 0;
        return;
      case State.Decl:
        if (this.#quote !== '') {
          if (ch === this.#quote) this.#quote = '';
        } else if (ch === '"' || ch === "'") this.#quote = ch;
        else if (ch === '[') this.#depth += 1;
        else if (ch === ']') this.#depth -= 1;
        else if (ch === '>' && this.#depth <= 0) this.#state = State.Text;
        return;
      case State.Tag:
        if (ch === '"') this.#state = State.AttrDouble;
        else if (ch === "'") this.#state = State.AttrSingle;
        else if (ch === '>') this.#state = State.Text;
        return;
      case State.AttrDouble:
      case State.AttrSingle:
        if (ch === (this.#state === State.AttrDouble ? '"' : "'")) this.#state = State.Tag;
        else if (ch === '&') this.#startRef(this.#state);
        return;
      case State.Ref:
        this.#refChar(ch, c);
        return;
    }
  }

  #startRef(back: State): void {
    this.#ref = { line: this.#line, column: this.#column, back, text: '' };
    this.#state = State.Ref;
  }

  /** One character of an entity or character reference: `&name;`, `&#123;`, `&#x1F;`. */
  #refChar(ch: string, c: number): void {
    const ref = this.#ref;
    if (ch === ';') {
      if (!/^(#\d+|#x[0-9a-fA-F]+|[^#].*)$/.test(ref.text)) this.#bareAmpersand();
      this.#state = ref.back;
      return;
    }
    const t = ref.text;
    const ok =
      t === ''
        ? ch === '#' || nameStart(c)
        : t === '#'
          ? ch === 'x' || (c >= 0x30 && c <= 0x39)
          : t.startsWith('#x')
            ? /[0-9a-fA-F]/.test(ch)
            : t.startsWith('#')
              ? c >= 0x30 && c <= 0x39
              : nameChar(c);
    if (!ok) this.#bareAmpersand();
    ref.text += ch;
    // A name this long is no predefined entity: leave it to saxes ("undefined entity").
    if (ref.text.length > 256) this.#state = ref.back;
  }

  #bareAmpersand(): never {
    throw badInput(
      `${this.fileName}:${this.#ref.line}:${this.#ref.column}: an unescaped "&": in XML a bare & must be written &amp; (& starts a reference such as &lt; or &#38;)`,
    );
  }
}

const enum State {
  Text,
  Lt,
  Bang,
  Comment,
  Cdata,
  Pi,
  Decl,
  Tag,
  AttrDouble,
  AttrSingle,
  Ref,
}

// Characters every state must look at: line breaks, forbidden characters, the low half of a surrogate pair.
const ALWAYS = '\\r\\n\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\udc00-\\udfff\\ufffe\\uffff';
/** Per state, the next character that matters; everything between only moves the column. */
const FAST: Partial<Record<State, RegExp>> = {
  [State.Text]: new RegExp(`[<&${ALWAYS}]`, 'g'),
  [State.Cdata]: new RegExp(`[\\]>${ALWAYS}]`, 'g'),
  [State.Comment]: new RegExp(`[\\->${ALWAYS}]`, 'g'),
  [State.AttrDouble]: new RegExp(`["&${ALWAYS}]`, 'g'),
  [State.AttrSingle]: new RegExp(`['&${ALWAYS}]`, 'g'),
};

/** XML NameStartChar, close enough: ASCII letters, '_', ':' and anything past ASCII. */
const nameStart = (c: number): boolean =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a || c >= 0x80;
const nameChar = (c: number): boolean => nameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;

/** Whether enough of the file's start is here to decide about its lead (first character, and `##teamcity[` / `<?xml` after it). */
function leadDecidable(head: string): boolean {
  const m = /[^\s\uFEFF]/.exec(head);
  return m !== null && head.length - m.index >= 11;
}

/** The 1-based position just after a text that starts a file. */
function advance(text: string): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a && text.charCodeAt(i - 1) === 0x0d) continue;
    if (c === 0x0a || c === 0x0d) {
      line += 1;
      column = 1;
    } else column += 1;
  }
  return { line, column };
}
