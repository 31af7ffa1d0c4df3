/**
 * The spans of an OTLP/JSON `ExportTraceServiceRequest`, flattened: each span
 * with its resource's attributes merged under its own (the span's win), its
 * times as nanosecond bigints, its status and its exception events. Shapes
 * are checked as for the other JSON formats: a wrong one is refused naming
 * its path (`resourceSpans[0].scopeSpans[0].spans[2].startTimeUnixNano …`).
 */
import type { Shape } from './ctrf-shape.ts';

/** An exception event of a span (`exception.type`, `exception.message`, `exception.stacktrace`). */
interface SpanException {
  readonly type: string | null;
  readonly message: string | null;
  readonly stacktrace: string | null;
}

export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Null for a root span (absent or empty `parentSpanId`). */
  readonly parentSpanId: string | null;
  readonly name: string;
  /** Nanoseconds since the epoch; null when absent or 0 (unset). */
  readonly startNs: bigint | null;
  readonly endNs: bigint | null;
  /** Resource attributes, then the span's own over them, every value as text. */
  readonly attributes: ReadonlyMap<string, string>;
  /** 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  readonly statusMessage: string | null;
  readonly exceptions: readonly SpanException[];
  /** Where the span is in the document, for messages. */
  readonly path: string;
  /** Position in the document, to keep ties in document order. */
  readonly index: number;
}

const STATUS_CODES: Readonly<Record<string, number>> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};

/** Every span of the request, in document order. */
export function readSpans(doc: Shape): OtlpSpan[] {
  doc.object();
  if (!doc.at('resourceSpans').present) {
    doc.fail(
      'must be an OTLP/JSON ExportTraceServiceRequest: an object with "resourceSpans" (what an OTLP/HTTP exporter with JSON encoding sends to /v1/traces)',
    );
  }
  const spans: OtlpSpan[] = [];
  for (const rs of doc.at('resourceSpans').list()) {
    rs.object();
    const resource = readAttributes(rs.at('resource').at('attributes'));
    for (const ss of rs.at('scopeSpans').optionalList()) {
      ss.object();
      for (const s of ss.at('spans').optionalList()) spans.push(readSpan(s, resource, spans.length));
    }
  }
  return spans;
}

function readSpan(s: Shape, resource: ReadonlyMap<string, string>, index: number): OtlpSpan {
  s.object();
  const attributes = new Map(resource);
  for (const [k, v] of readAttributes(s.at('attributes'))) attributes.set(k, v);
  const status = s.at('status');
  status.optionalObject();
  return {
    traceId: requiredId(s.at('traceId')),
    spanId: requiredId(s.at('spanId')),
    parentSpanId: s.at('parentSpanId').optionalString() || null,
    name: s.at('name').optionalString() ?? '',
    startNs: nanos(s.at('startTimeUnixNano')),
    endNs: nanos(s.at('endTimeUnixNano')),
    attributes,
    statusCode: statusCode(status.at('code')),
    statusMessage: status.at('message').optionalString() || null,
    exceptions: s
      .at('events')
      .optionalList()
      .filter((e) => (e.object(), e.at('name').optionalString() === 'exception'))
      .map((e) => {
        const a = readAttributes(e.at('attributes'));
        return {
          type: a.get('exception.type') ?? null,
          message: a.get('exception.message') ?? null,
          stacktrace: a.get('exception.stacktrace') ?? null,
        };
      }),
    path: s.path,
    index,
  };
}

function requiredId(id: Shape): string {
  const v = id.optionalString();
  if (v === null || v === '') id.fail('must be a non-empty hex string (the span and trace ids of OTLP/JSON)');
  return v;
}

/** A span status code: the number (0, 1, 2) or, as some exporters write, the enum's name. */
function statusCode(code: Shape): number {
  if (!code.present) return 0;
  if (typeof code.value === 'string' && code.value in STATUS_CODES) return STATUS_CODES[code.value] ?? 0;
  const n = typeof code.value === 'number' ? code.value : Number.NaN;
  if (n !== 0 && n !== 1 && n !== 2) {
    code.fail(`must be 0 (unset), 1 (ok) or 2 (error) (got ${shown(code.value)})`);
  }
  return n;
}

/**
 * A `…TimeUnixNano` value: OTLP/JSON writes 64-bit integers as decimal
 * strings, some encoders as numbers. Anything else is refused; 0 means unset.
 */
function nanos(field: Shape): bigint | null {
  if (!field.present) return null;
  const v = field.value;
  // A number past 2^53 lost its last digits in JSON.parse (today's times: at most 128 ns off); kept as read.
  const text =
    typeof v === 'string'
      ? v.trim()
      : typeof v === 'number' && Number.isInteger(v) && v >= 0
        ? BigInt(v).toString()
        : null;
  if (text === null || !/^\d{1,20}$/.test(text)) {
    field.fail(
      `must be a whole number of nanoseconds since the Unix epoch, written as a string ("1700000000000000000") (got ${shown(v)})`,
    );
  }
  const n = BigInt(text);
  return n === 0n ? null : n;
}

/** `[{key, value: {stringValue|intValue|boolValue|doubleValue|arrayValue}}]` as text values. */
function readAttributes(list: Shape): Map<string, string> {
  const out = new Map<string, string>();
  for (const kv of list.optionalList()) {
    kv.object();
    const keyField: Shape = kv.at('key');
    const key = keyField.optionalString();
    if (key === null || key === '') keyField.fail('must be a non-empty string: the attribute name');
    const text = anyValue(kv.at('value'));
    if (text !== null) out.set(key, text);
  }
  return out;
}

/** An `AnyValue` as text: arrays of scalars joined with ","; key-value lists and bytes are not read (null). */
function anyValue(value: Shape): string | null {
  if (!value.present) return null;
  value.object();
  const s = value.at('stringValue');
  if (s.present) return s.optionalString();
  const b = value.at('boolValue');
  if (b.present) return String(b.optionalBoolean());
  const i = value.at('intValue');
  if (i.present) {
    if (typeof i.value === 'number' && Number.isInteger(i.value)) return String(i.value);
    const t = i.optionalString();
    if (t === null || !/^-?\d+$/.test(t))
      i.fail(`must be a whole number, as a string (got ${JSON.stringify(t)})`);
    return t;
  }
  const d = value.at('doubleValue');
  if (d.present) {
    if (typeof d.value === 'string' && Number.isFinite(Number(d.value))) return d.value;
    return String(d.optionalNumber());
  }
  const arr = value.at('arrayValue');
  if (arr.present) {
    const parts = arr
      .at('values')
      .optionalList()
      .map(anyValue)
      .filter((p): p is string => p !== null);
    return parts.join(',');
  }
  return null;
}

/** A JSON value as a refusal quotes it, at most 40 characters. */
function shown(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 40);
}
