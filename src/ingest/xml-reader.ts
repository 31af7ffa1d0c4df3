import { SaxesParser } from 'saxes';
import { AssayError, badInput } from '../domain/errors.ts';
import { nextTurn } from '../domain/iterables.ts';
import type { ReportLimits } from './report-context.ts';
import { slices } from './source.ts';
import type { Warnings } from './warnings.ts';
import { XmlPrefilter } from './xml-prefilter.ts';

/** What the JUnit mapper hears from the XML: element names without a namespace prefix. */
export interface XmlHandler {
  open(name: string, attributes: Readonly<Record<string, string>>, line: number, column: number): void;
  text(text: string): void;
  close(name: string): void;
}

interface OpenTag {
  readonly name: string;
  readonly line: number;
  readonly column: number;
}

const localName = (qname: string): string => qname.slice(qname.indexOf(':') + 1);

/** What reading the XML changed on the way (see XmlPrefilter). */
export interface XmlReadFacts {
  /** ESC characters were replaced by U+FFFD, so "\uFFFD[31m" in a text is a terminal colour code. */
  readonly replacedEsc: boolean;
}

/**
 * Feeds text chunks through saxes (strict, streaming) and calls the handler.
 * Refused, with file:line:column: malformed XML, any DOCTYPE that declares
 * entities (billion laughs, XXE), undefined entity references (saxes knows
 * only the five predefined ones and character references, and never fetches
 * a DTD), a bare `&`, and nesting deeper than `limits.maxDepth`. Before saxes,
 * an XmlPrefilter drops whitespace before `<?xml` and replaces characters XML
 * 1.0 forbids (warned).
 */
export async function readXml(
  chunks: AsyncIterable<string>,
  fileName: string,
  limits: ReportLimits,
  handler: XmlHandler,
  warnings: Warnings,
): Promise<XmlReadFacts> {
  const parser = new SaxesParser({ position: true });
  const prefilter = new XmlPrefilter(fileName, warnings);
  const at = (line: number, column: number) => {
    const p = prefilter.position(line, column);
    return `${fileName}:${p.line}:${p.column}`;
  };
  const here = () => at(parser.line, parser.column + 1);
  const trim = listen(parser, prefilter, limits, handler, at);
  try {
    for await (const chunk of prefilter.filter(chunks)) {
      for (const slice of slices(chunk)) {
        parser.write(slice);
        trim();
        // A large report is read in many slices: let the server answer others between them.
        await nextTurn();
      }
    }
    parser.close();
  } catch (e) {
    if (e instanceof AssayError) throw e;
    throw badInput(`${here()}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { replacedEsc: prefilter.replacedEsc };
}

/**
 * Wires saxes' events to the handler with the refusals readXml describes.
 * Returns what to call after each write: saxes buffers a whole text node
 * before reporting it, so a huge <system-out> would sit in memory entire;
 * the buffer is cut to its head after each slice.
 */
function listen(
  parser: SaxesParser<{ position: true }>,
  prefilter: XmlPrefilter,
  limits: ReportLimits,
  handler: XmlHandler,
  at: (line: number, column: number) => string,
): () => void {
  const open: OpenTag[] = [];
  let lastClosed: OpenTag | undefined;
  // saxes reports the position after a tag's name and its delimiter; step back to its '<'.
  const tagStart = (name: string) => {
    const column = parser.column - [...name].length - 1;
    return column >= 1 ? { line: parser.line, column } : { line: parser.line - 1, column: 1 };
  };
  parser.on('error', (err) => {
    const message = err.message.replace(/^\d+:\d+: /, '');
    const unclosed = /^unclosed tag: (.+)$/.exec(message);
    const tag = unclosed ? open.find((t) => t.name === unclosed[1]) : undefined;
    if (tag) {
      throw badInput(
        `${at(tag.line, tag.column)}: unclosed tag <${tag.name}>: the report ends (at ${parser.line}:${parser.column + 1}) before its </${tag.name}>`,
      );
    }
    throw badInput(`${at(parser.line, parser.column + 1)}: ${explain(message, lastClosed, at)}`);
  });
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) {
      const lines = doctype.split('\n').length - 1;
      const column = lines === 0 ? Math.max(1, parser.column - doctype.length - '<!DOCTYPE>'.length + 1) : 1;
      throw badInput(
        `${at(parser.line - lines, column)}: the DOCTYPE declares entities; Assay never expands XML entities (billion laughs, external entities), so remove the DOCTYPE and upload again`,
      );
    }
  });
  parser.on('opentagstart', (tag) => {
    const start = tagStart(tag.name);
    open.push({ name: tag.name, ...start });
    if (open.length > limits.maxDepth) {
      throw badInput(
        `${at(start.line, start.column)}: elements nest deeper than REPORT_LIMITS.maxDepth (${limits.maxDepth})`,
      );
    }
  });
  parser.on('opentag', (tag) => {
    const start = open[open.length - 1];
    const p = prefilter.position(start?.line ?? parser.line, start?.column ?? 1);
    handler.open(localName(tag.name), tag.attributes as Record<string, string>, p.line, p.column);
  });
  parser.on('closetag', (tag) => {
    lastClosed = open.pop();
    handler.close(localName(tag.name));
  });
  // A node cut in flight keeps only its head: the rest of its last slice is dropped too.
  let cut = false;
  const text = (t: string) => {
    handler.text(cut ? t.slice(0, limits.maxTextNodeChars) : t);
    cut = false;
  };
  parser.on('text', text);
  parser.on('cdata', text);
  const internal = parser as unknown as { text?: unknown };
  return () => {
    if (typeof internal.text === 'string' && internal.text.length > limits.maxTextNodeChars) {
      internal.text = internal.text.slice(0, limits.maxTextNodeChars);
      cut = true;
    }
  };
}

function explain(
  message: string,
  lastClosed: OpenTag | undefined,
  at: (l: number, c: number) => string,
): string {
  if (message.startsWith('unexpected close tag') && lastClosed) {
    return `unexpected close tag: <${lastClosed.name}> opened at ${at(lastClosed.line, lastClosed.column)} is still open`;
  }
  if (message.startsWith('undefined entity')) {
    return 'undefined entity reference; only &lt; &gt; &amp; &quot; &apos; and numeric references are allowed (Assay never expands DTD entities)';
  }
  if (message === 'document must contain a root element.')
    return 'the report is empty: expected a <testsuites> or <testsuite> element';
  return message.replace(/\.$/, '');
}
