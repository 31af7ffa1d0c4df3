import type { Plugin } from 'graphql-yoga';
import { importInput, importReport, mergeBuild } from '../../resolvers/import.ts';
import { badInput } from '../domain/errors.ts';
import { streamChunks } from '../domain/iterables.ts';
import type { Deps } from '../domain/ports.ts';
import {
  parseReport,
  REPORT_LIMITS,
  type ParsedReport,
  type ReportContext,
  type ReportFormat,
} from '../ingest/index.ts';
import type { Logger } from './logger.ts';
import { readMultipart, tooLarge } from './multipart.ts';
import { AllureSet } from './upload-allure-set.ts';
import { errorBody, json, placement, type Reply } from './upload-reply.ts';

/** The curl-friendly upload paths and the format each reads, one a line. */
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
  'POST a report to /ingest/report (format detected) or /ingest/<format> (junit, ctrf, playwright, jest, trx, nunit, xunit, tap, gotest, otlp, allure: every file of allure-results/ as multipart files) with ?project=…&branch=…&commit=…[&run=…][&startedAt=…][&tag=key=value …], ' +
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

type UploadDeps = Omit<Deps, 'loaders'>;

/**
 * A multipart body's files, one build: each is parsed as its bytes arrive
 * (nothing buffered), then the ones read are stored as one run (as `assay
 * ingest` does). A refused file is reported and the others still stored.
 * When the format is detected, Allure files are held and read together as
 * one set (upload-allure-set.ts), as /ingest/allure reads them.
 */
async function importFiles(
  deps: UploadDeps,
  body: ReadableStream<Uint8Array>,
  type: string,
  format: ReportFormat | null,
  ctx: ReportContext,
  log: Logger,
): Promise<Reply> {
  if (format === 'allure') return importAllure(deps, body, type, ctx);
  const outcomes: FileOutcome[] = [];
  const parsed: ParsedReport[] = [];
  const allure = new AllureSet();
  const fail = (file: string, error: unknown) => {
    const { status: _s, ...e } = errorBody(error, log);
    outcomes.push({ file, error: e });
  };
  const read = async (file: string, parse: () => Promise<ParsedReport>) => {
    try {
      const r = await parse();
      parsed.push(r);
      outcomes.push({ file, format: r.format, attempts: r.input.results?.length ?? 0 });
    } catch (error) {
      fail(file, error);
    }
  };
  for await (const part of readMultipart(streamChunks(body), type, REPORT_LIMITS.maxBytes)) {
    if (part.kind !== 'file') continue;
    try {
      const alone = format ? part.chunks : await allure.sort(part.filename, part.chunks);
      const opts = { ...(format && { format }), filename: part.filename };
      if (alone !== null) await read(part.filename, () => parseReport(alone, ctx, opts));
    } catch (error) {
      fail(part.filename, error);
    } finally {
      await part.skip();
    }
  }
  if (allure.size) await read(`${allure.size} files`, () => allure.read(ctx));
  for (const x of allure.strays()) await read(x.name, () => parseReport(x.source, ctx, { filename: x.name }));
  if (!outcomes.length) throw badInput(`the multipart body has no file. ${UPLOAD_USAGE}`);
  const merged = parsed.length ? mergeBuild(parsed, ctx.runId ?? null) : null;
  const summary = merged ? await importInput(deps, merged.input, merged) : null;
  return {
    status: outcomes.some((o) => 'error' in o) ? 400 : 200,
    body: { files: outcomes, ...(summary && { summary }) },
  };
}

/**
 * An allure-results directory sent as multipart files is one set: read
 * together (retries by historyId, fixtures by container) and stored as one
 * run, or refused whole. Its files are small JSON documents that refer to
 * each other, so each is held (within the body's limit) until all arrived.
 */
async function importAllure(
  deps: UploadDeps,
  body: ReadableStream<Uint8Array>,
  type: string,
  ctx: ReportContext,
): Promise<Reply> {
  const set = new AllureSet();
  for await (const part of readMultipart(streamChunks(body), type, REPORT_LIMITS.maxBytes)) {
    if (part.kind === 'file') await set.add(part.filename, part.chunks);
  }
  if (!set.size) throw badInput(`the multipart body has no file. ${UPLOAD_USAGE}`);
  const r = await set.read(ctx);
  const summary = await importInput(deps, r.input, r);
  return {
    status: 200,
    body: { files: [{ file: `${set.size} files`, format: r.format, attempts: summary.attempts }], summary },
  };
}

/** Answers an upload: a raw body streamed to the parser, or a multipart body's files. */
async function upload(deps: UploadDeps, request: Request, url: URL, log: Logger): Promise<Reply> {
  const format = ROUTES[url.pathname] ?? null;
  const type = request.headers.get('content-type') ?? '';
  const ctx = placement(url, deps.now());
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > REPORT_LIMITS.maxBytes) throw tooLarge(REPORT_LIMITS.maxBytes);
  if (!request.body) throw badInput(`the request has no body. ${UPLOAD_USAGE}`);
  if (type.toLowerCase().startsWith('multipart/form-data'))
    return importFiles(deps, request.body, type, format, ctx, log);
  const name = url.searchParams.get('filename');
  const summary = await importReport(deps, streamChunks(request.body), ctx, { format, filename: name });
  return { status: 200, body: summary };
}

/**
 * A Yoga plugin serving the upload paths beside /graphql: the same import as
 * the `ingestJUnit` mutation, for CI scripts with only curl. A raw body is
 * streamed to the parser and answers the import summary; multipart files
 * are one build, parsed one by one as they arrive and stored as one run
 * (`run`, or an id made from the files), answering what was read of each
 * file and the summary. A refused file stores nothing and answers 400 with
 * the reason (line and column for malformed XML); the other files are still
 * stored. A body over REPORT_LIMITS.maxBytes answers 413.
 */
export function useReportUpload(deps: UploadDeps, log: Logger): Plugin {
  return {
    onRequest: async ({ request, url, endResponse, fetchAPI }) => {
      if (!(url.pathname in ROUTES)) return;
      const reply = (r: Reply) => endResponse(json(fetchAPI, r));
      if (request.method !== 'POST') {
        reply({ status: 405, body: { error: { code: 'METHOD_NOT_ALLOWED', message: UPLOAD_USAGE } } });
        return;
      }
      const type = request.headers.get('content-type') ?? '';
      if (!UPLOAD_TYPE.test(type)) {
        const got = type ? `"${type.slice(0, 80)}"` : 'none';
        const message = `an upload's content type must be application/xml, text/xml, application/json, application/octet-stream or multipart/form-data (got ${got}). ${UPLOAD_USAGE}`;
        reply({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message } } });
        return;
      }
      try {
        reply(await upload(deps, request, url, log));
      } catch (error) {
        const { status, ...e } = errorBody(error, log);
        reply({ status, body: { error: e } });
      }
    },
  };
}
