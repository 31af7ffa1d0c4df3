import type { Plugin } from 'graphql-yoga';
import { importInput } from '../../resolvers/import.ts';
import { AssayError, badInput } from '../domain/errors.ts';
import { streamChunks } from '../domain/iterables.ts';
import type { Deps } from '../domain/ports.ts';
import { parseOtlpRuns, REPORT_LIMITS } from '../ingest/index.ts';
import { OTLP_TRACES_PATH } from './http-access.ts';
import type { Logger } from './logger.ts';
import { json, placement, type Reply } from './upload-reply.ts';

const PROTOBUF =
  'OTLP/protobuf is not read here: send OTLP/JSON with content-type application/json (OpenTelemetry Collector: the otlphttp exporter with `encoding: json`; SDKs: OTEL_EXPORTER_OTLP_PROTOCOL=http/json)';

/** gRPC status codes of the OTLP `Status` answered on failure, by HTTP status. */
const GRPC_CODE: Readonly<Record<number, number>> = { 400: 3, 405: 12, 413: 8, 415: 3, 500: 13, 503: 14 };

/** A `google.rpc.Status`, OTLP/HTTP's answer on failure. */
const failure = (status: number, message: string): Reply => ({
  status,
  body: { code: GRPC_CODE[status] ?? 2, message },
});

/**
 * A Yoga plugin serving `POST /v1/traces`, the OTLP/HTTP traces path, so an
 * OpenTelemetry Collector (`otlphttp` exporter, `encoding: json`) or an SDK
 * pointed at Assay stores the test spans it sends (src/ingest/otlp.ts).
 * Where they belong comes from the query string, as for /ingest/*
 * (`/v1/traces?project=web`). A request may hold spans of several pipeline
 * runs (a collector batches them): each run is stored apart. OTLP/protobuf,
 * here or at /ingest/otlp, is refused with 415 saying to send JSON.
 */
export function useOtlpTraces(deps: Omit<Deps, 'loaders'>, log: Logger): Plugin {
  return {
    onRequest: async ({ request, url, endResponse, fetchAPI }) => {
      /** An answer in OTLP/HTTP's JSON shapes: `ExportTraceServiceResponse` on success, a `Status` on failure. */
      const answer = (reply: Reply) => endResponse(json(fetchAPI, reply, true));
      const type = request.headers.get('content-type') ?? '';
      const protobuf = /^application\/(x-)?protobuf\s*(;|$)/i.test(type);
      if (url.pathname === '/ingest/otlp' && protobuf) {
        answer(failure(415, PROTOBUF));
        return;
      }
      if (url.pathname !== OTLP_TRACES_PATH) return;
      if (request.method !== 'POST') {
        answer(failure(405, `POST OTLP/JSON traces to ${OTLP_TRACES_PATH}?project=<project>`));
        return;
      }
      if (protobuf || !/^application\/json\s*(;|$)/i.test(type)) {
        answer(failure(415, protobuf ? PROTOBUF : `${PROTOBUF} (got "${type.slice(0, 80)}")`));
        return;
      }
      try {
        answer({ status: 200, body: await storeTraces(deps, request, url) });
      } catch (error) {
        if (error instanceof AssayError) {
          const status = error.code === 'PAYLOAD_TOO_LARGE' ? 413 : error.code === 'UNAVAILABLE' ? 503 : 400;
          answer(failure(status, error.message));
          return;
        }
        log.error('unexpected error while importing OTLP traces', {
          error: error instanceof Error ? error : new Error(String(error)),
        });
        answer(failure(500, 'Unexpected error while importing the traces; the server log has the details.'));
      }
    },
  };
}

/** Parses the request and stores each run's test spans; answers OTLP's partial success when spans were not stored. */
async function storeTraces(
  deps: Omit<Deps, 'loaders'>,
  request: Request,
  url: URL,
): Promise<Record<string, unknown>> {
  const ctx = { ...placement(url, deps.now()), fileName: 'the request' };
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > REPORT_LIMITS.maxBytes) {
    throw new AssayError(
      'PAYLOAD_TOO_LARGE',
      `the request is larger than ${REPORT_LIMITS.maxBytes / 2 ** 20} MiB; lower the exporter's batch size (batch processor send_batch_max_size)`,
    );
  }
  if (!request.body) throw badInput('the request has no body: send an OTLP/JSON ExportTraceServiceRequest');
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw badInput(`content-encoding "${encoding.slice(0, 20)}" is not read: send it uncompressed or gzip`);
  }
  // The collector gzips by default; the parser bounds the inflated text by REPORT_LIMITS.maxBytes.
  const body = encoding === 'gzip' ? request.body.pipeThrough(new DecompressionStream('gzip')) : request.body;
  const { reports, ignoredSpans } = await parseOtlpRuns(streamChunks(body), ctx);
  const notes: string[] = [];
  let rejected = ignoredSpans;
  for (const r of reports) {
    const summary = await importInput(deps, r.input, { format: r.format, warnings: r.warnings });
    rejected += summary.rejected;
    for (const w of summary.warnings) if (!notes.includes(w)) notes.push(w);
  }
  if (reports.length === 0) notes.unshift('no span carries test.case.name: nothing was stored');
  if (rejected === 0 && notes.length === 0) return {};
  // int64 fields are strings in OTLP/JSON.
  return { partialSuccess: { rejectedSpans: String(rejected), errorMessage: notes.join('; ') } };
}
