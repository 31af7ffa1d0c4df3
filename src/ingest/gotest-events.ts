/** Reads `go test -json` (test2json) lines into events; gotest.ts maps them to results. */
import { badInput } from '../domain/errors.ts';
import { parseTimestamp } from '../domain/time.ts';
import type { Warnings } from './warnings.ts';

/** One test2json event as written on the line. */
interface RawEvent {
  readonly Time?: unknown;
  readonly Action?: unknown;
  readonly Package?: unknown;
  readonly ImportPath?: unknown;
  readonly Test?: unknown;
  readonly Elapsed?: unknown;
  readonly Output?: unknown;
}

/** An event with its fields checked: a test's (`test` set) or its package's. */
export interface GoEvent {
  /** Its line in the file. */
  readonly number: number;
  readonly action: string;
  readonly pkg: string;
  readonly test: string | null;
  readonly time: Date | null;
  readonly output: string;
  /** As written: gotest.ts checks it only for a verdict. */
  readonly elapsed: unknown;
}

/**
 * The events of the lines, in order. A line that is not JSON at all (build output mixed in) is
 * skipped with a warning; a JSON line that is not an event object is refused.
 */
export async function* readGoEvents(
  lines: AsyncIterable<{ readonly number: number; readonly text: string }>,
  fileName: string,
  warnings: Warnings,
): AsyncGenerator<GoEvent> {
  for await (const { number, text } of lines) {
    const line = text.trim();
    if (line === '') continue;
    if (!line.startsWith('{')) {
      warnings.add(
        'not-json',
        `line ${number} is not a go test -json event (build output mixed into the stream?); ignored: ${line.slice(0, 80)}`,
      );
      continue;
    }
    let e: RawEvent;
    try {
      e = JSON.parse(line) as RawEvent;
    } catch (err) {
      throw badInput(
        `${fileName}:${number}: not a JSON object (${err instanceof Error ? err.message : String(err)}); go test -json writes one event object per line`,
      );
    }
    if (typeof e !== 'object' || e === null || typeof e.Action !== 'string') {
      throw badInput(
        `${fileName}:${number}: the event has no "Action" string; go test -json events look like {"Time":"…","Action":"pass","Package":"…","Test":"…","Elapsed":0.01}`,
      );
    }
    let time: Date | null = null;
    if (typeof e.Time === 'string') {
      const t = parseTimestamp(e.Time);
      if (typeof t === 'string') warnings.add('timestamp', `line ${number}: Time ${t}; ignored`);
      else time = t;
    }
    yield {
      number,
      action: e.Action,
      pkg: typeof e.Package === 'string' ? e.Package : typeof e.ImportPath === 'string' ? e.ImportPath : '',
      test: typeof e.Test === 'string' && e.Test !== '' ? e.Test : null,
      time,
      output: typeof e.Output === 'string' ? e.Output : '',
      elapsed: e.Elapsed,
    };
  }
}
