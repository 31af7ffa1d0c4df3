import { AssayError } from '../domain/errors.ts';

export interface Line {
  /** 1-based line number in the file. */
  readonly number: number;
  /** The line without its end (LF or CRLF). */
  readonly text: string;
}

/**
 * The lines of a text stream, whatever its chunking. A line longer than
 * `maxChars` is refused (PAYLOAD_TOO_LARGE) naming its number, so memory
 * stays bounded by one line.
 */
export async function* readLines(
  chunks: AsyncIterable<string>,
  maxChars: number,
  fileName: string,
): AsyncGenerator<Line> {
  let pending = '';
  let number = 0;
  const tooLong = () =>
    new AssayError(
      'PAYLOAD_TOO_LARGE',
      `${fileName}:${number + 1}: the line is longer than REPORT_LIMITS.maxTextNodeChars (${maxChars} characters)`,
    );
  for await (const chunk of chunks) {
    const text = pending + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (nl - start > maxChars) throw tooLong();
      number += 1;
      yield { number, text: text.slice(start, nl).replace(/\r$/, '') };
      start = nl + 1;
    }
    if (text.length - start > maxChars) throw tooLong();
    pending = text.slice(start);
  }
  if (pending !== '') {
    number += 1;
    yield { number, text: pending.replace(/\r$/, '') };
  }
}
