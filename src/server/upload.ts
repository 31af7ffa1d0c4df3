import type { Plugin } from 'graphql-yoga';
import { importInput, importReport, mergeBuild } from '../../resolvers/import.ts';
import { parseTagArgs, reportContext } from '../../resolvers/report-context.ts';
import { AssayError, badInput } from '../domain/errors.ts';
import { parseTimestamp } from '../domain/time.ts';
import { streamChunks } from '../domain/iterables.ts';
import type { Deps } from '../domain/ports.ts';
import {
  parseAllureResults,
  parseReport,
  REPORT_LIMITS,
  type ParsedReport,
  type ReportFormat,
} from '../ingest/index.ts';
import type { Logger } from './logger.ts';

/** The curl-friendly upload paths and the format each reads. */
const ROUTES: Readonly<Record<string, ReportFormat | null>> = {
  '/ingest/junit': 'junit',
  '/ingest/ctrf': 'ctrf',
  '/ingest/playwright': 'playwright',
  '/ingest/jest': 'jest',
  '/ingest/trx': 'trx',
  '/ingest/nunit': 'nunit',
  '/ingest/xunit': 'xunit',
  '/ingest/tap': 'tap',
  '/ingest/gotest': 'gotest',
  '/ingest/otlp': 'otlp',
  '/ingest/allure': 'allure',
  '/ingest/report': null,
};

const UPLOAD_USAGE =
  'POST a report to /ingest/report (format detected) or /ingest/<format> (junit, ctrf, playwright, jest, trx, nunit, xunit, tap, gotest, allure: every file of allure-results/ as multipart files) with ?project=…&branch=…&commit=…[&run=…][&startedAt=…][&tag=key=value …], ' +
  "the file as the raw body with its content type (curl -H 'content-type: application/xml' --data-binary @report.xml) or as multipart form files (curl -F file=@report.xml).";

/**
 * The content types an upload may have. Not text/plain nor form-urlencoded: a page on another
 * site can POST those cross-site without asking (no CORS preflight), so they could store data.
 */
const UPLOAD_TYPE =
  /^(application\/(xml|json|octet-stream|[\w.+-]+\+(xml|json))|text\/xml|multipart\/form-data)\s*(;|$)/i;

type FileOutcome =
  | { readonly file: string; readonly format: string; readonly attempts: number }
  | { readonly file: string; readonly error: { readonly code: string; readonly message: string } };

/** Reads the query string: where the report belongs. */
export function placement(url: URL, now: Date) {
  const q = url.searchParams;
  const startedAt = q.get('startedAt');
  let started: Date | null = null;
  if (startedAt) {
    const d = parseTimestamp(startedAt);
    if (typeof d === 'string') throw badInput(`startedAt ${d}`, { field: 'startedAt' });
    started = d;
  }
  const tags = parseTagArgs(q.getAll('tag'));
  return reportContext(
    {
      project: q.get('project') ?? '',
      branch: q.get('branch'),
      commit: q.get('commit'),
      runId: q.get('run') ?? q.get('runId'),
      startedAt: started,
      tags,
    },
    now,
  );
}

const json = (status: number, body: unknown): Response =>
  new Response(`${JSON.stringify(body, null, 2)}\n`, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });

function errorBody(error: unknown, log: Logger): { code: string; message: string; status: number } {
  if (error instanceof AssayError) {
    const status = error.code === 'PAYLOAD_TOO_LARGE' ? 413 : error.code === 'UNAVAILABLE' ? 503 : 400;
    return { code: error.code, message: error.message, status, ...error.details };
  }
  log.error('unexpected error while importing a report', {
    error: error instanceof Error ? error : new Error(String(error)),
  });
  return {
    code: 'INTERNAL_SERVER_ERROR',
    message: 'Unexpected error while importing the report; the server log has the details.',
    status: 500,
  };
}

/**
 * A Yoga plugin serving the upload paths beside /graphql: the same import as
 * the `ingestJUnit` mutation, for CI scripts with only curl. A raw body is
 * streamed to the parser and answers the import summary; multipart files
 * are one build, parsed one by one and stored as one run (`run`, or an id
 * made from the files), answering what was read of each file and the
 * summary. A refused file stores nothing and answers 400 with the reason
 * (line and column for malformed XML); the other files are still stored.
 */
export function useReportUpload(deps: Omit<Deps, 'loaders'>, log: Logger): Plugin {
  return {
    onRequest: async ({ request, url, endResponse }) => {
      if (!(url.pathname in ROUTES)) return;
      const format = ROUTES[url.pathname] ?? null;
      if (request.method !== 'POST') {
        endResponse(json(405, { error: { code: 'METHOD_NOT_ALLOWED', message: UPLOAD_USAGE } }));
        return;
      }
      const type = request.headers.get('content-type') ?? '';
      if (!UPLOAD_TYPE.test(type)) {
        endResponse(
          json(415, {
            error: {
              code: 'UNSUPPORTED_MEDIA_TYPE',
              message: `an upload's content type must be application/xml, text/xml, application/json, application/octet-stream or multipart/form-data (got ${type ? `"${type.slice(0, 80)}"` : 'none'}). ${UPLOAD_USAGE}`,
            },
          }),
        );
        return;
      }
      try {
        const ctx = placement(url, deps.now());
        const length = Number(request.headers.get('content-length') ?? 0);
        if (length > REPORT_LIMITS.maxBytes) {
          throw new AssayError(
            'PAYLOAD_TOO_LARGE',
            `the upload is ${(length / 2 ** 20).toFixed(0)} MiB; a report may be at most ${REPORT_LIMITS.maxBytes / 2 ** 20} MiB: split it, or bulk-load with \`assay ingest --db\``,
          );
        }
        if (type.startsWith('multipart/form-data') && !request.headers.get('content-length')) {
          // A multipart body is read whole before its files are parsed: its size must be known (and bounded) first.
          throw new AssayError(
            'PAYLOAD_TOO_LARGE',
            `a multipart upload needs a Content-Length (at most ${REPORT_LIMITS.maxBytes / 2 ** 20} MiB); curl -F sends one, or send one file as the raw body`,
          );
        }
        if (!type.startsWith('multipart/form-data')) {
          if (!request.body) throw badInput(`the request has no body. ${UPLOAD_USAGE}`);
          const name = url.searchParams.get('filename');
          const summary = await importReport(deps, streamChunks(request.body), ctx, {
            format,
            filename: name,
          });
          endResponse(json(200, summary));
          return;
        }
        // Node's own multipart parser (undici) keeps every part of a repeated field name.
        const form = await new Request(url, {
          method: 'POST',
          headers: { 'content-type': type },
          body: request.body,
          duplex: 'half',
        } as RequestInit).formData();
        const files: File[] = [];
        form.forEach((v) => {
          if (typeof v === 'object' && v !== null && 'stream' in v) files.push(v);
        });
        if (!files.length) throw badInput(`the multipart body has no file. ${UPLOAD_USAGE}`);
        if (format === 'allure') {
          // An allure-results directory is one set: read together (retries by historyId, fixtures by
          // container) and stored as one run, or refused whole.
          const sources = files.map((f) => ({ name: f.name, read: () => streamChunks(f.stream()) }));
          const r = await parseAllureResults(sources, ctx);
          const summary = await importInput(deps, r.input, r);
          const read = { file: `${files.length} files`, format: r.format, attempts: summary.attempts };
          endResponse(json(200, { files: [read], summary }));
          return;
        }
        // The files are one build: each is parsed, then the ones read are stored as one run (as `assay ingest` does).
        const outcomes: FileOutcome[] = [];
        const parsed: ParsedReport[] = [];
        for (const f of files) {
          try {
            const r = await parseReport(streamChunks(f.stream()), ctx, {
              ...(format && { format }),
              filename: f.name,
            });
            parsed.push(r);
            outcomes.push({ file: f.name, format: r.format, attempts: r.input.results?.length ?? 0 });
          } catch (error) {
            const { status: _s, ...e } = errorBody(error, log);
            outcomes.push({ file: f.name, error: e });
          }
        }
        const merged = parsed.length ? mergeBuild(parsed, ctx.runId ?? null) : null;
        const summary = merged ? await importInput(deps, merged.input, merged) : null;
        endResponse(
          json(outcomes.some((o) => 'error' in o) ? 400 : 200, {
            files: outcomes,
            ...(summary && { summary }),
          }),
        );
      } catch (error) {
        const { status, ...e } = errorBody(error, log);
        endResponse(json(status, { error: e }));
      }
    },
  };
}
