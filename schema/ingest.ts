import { builder } from './builder.ts';
import { Run } from './run.ts';
import { DateTime, FileScalar, JSONScalar } from './scalars.ts';
import * as ingestResolvers from '../resolvers/ingest.ts';
import {
  importReport,
  type ImportSummary as ImportSummaryModel,
  type ReportFormat,
} from '../resolvers/import.ts';
import { reportContext } from '../resolvers/report-context.ts';
import { streamChunks } from '../src/domain/iterables.ts';
import { INGEST_LIMITS } from '../src/domain/ingest.ts';
import type { IngestError as IngestErrorModel, IngestOutcome, IngestedEvent } from '../src/domain/types.ts';

const IngestRunInput = builder.inputType('IngestRunInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'Your CI build id; re-sending it adds to the same run.' }),
    project: t.string({ required: true }),
    branch: t.string(),
    commit: t.string(),
    startedAt: t.field({ type: DateTime, required: true }),
    finishedAt: t.field({ type: DateTime }),
    tags: t.field({
      type: JSONScalar,
      description: 'String → string, e.g. {"ci": "github", "os": "linux"}; every result inherits them.',
    }),
  }),
});

const MetricInput = builder.inputType('MetricInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    value: t.float({ required: true }),
    unit: t.string(),
  }),
});

const IngestResultInput = builder.inputType('IngestResultInput', {
  description:
    'One attempt. Fields are checked row by row: a bad row is reported in `errors` by index and field, and the others are stored.',
  fields: (t) => ({
    suite: t.string({ required: true }),
    className: t.string(),
    name: t.string({ required: true }),
    status: t.string({
      required: true,
      description:
        'PASSED, FAILED, ERROR or SKIPPED (any case). A string, so a bad value rejects only its row.',
    }),
    durationMs: t.float({ required: true }),
    attempt: t.int({ description: '1 (default) for the first try, 2 for the first retry, …' }),
    startedAt: t.string({ description: "ISO-8601; defaults to the run's startedAt." }),
    worker: t.string(),
    hardware: t.string(),
    message: t.string(),
    stackTrace: t.string(),
    tags: t.field({ type: JSONScalar, description: "String → string; overlays the run's tags." }),
    metrics: t.field({ type: [MetricInput] }),
  }),
});

const CircuitBreakerEventInput = builder.inputType('CircuitBreakerEventInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'The breaker, e.g. "worker:gpu-3".' }),
    from: t.string({ required: true, description: 'CLOSED, OPEN or HALF_OPEN.' }),
    to: t.string({ required: true }),
    at: t.string({ required: true, description: 'ISO-8601.' }),
    reason: t.string(),
  }),
});

const IngestInput = builder.inputType('IngestInput', {
  description: `One run's batch: stored atomically, idempotent on run id + test + attempt (an attempt number the run already holds for the test, sent with other content, is a further attempt from another shard and goes after the stored ones); at most ${INGEST_LIMITS.maxResults} results per call.`,
  fields: (t) => ({
    run: t.field({ type: IngestRunInput, required: true }),
    results: t.field({ type: [IngestResultInput] }),
    circuitBreakerEvents: t.field({ type: [CircuitBreakerEventInput] }),
  }),
});

const IngestError = builder.objectRef<IngestErrorModel>('IngestError').implement({
  fields: (t) => ({
    index: t.exposeInt('index', {
      description: 'Position of the row in `results` (or in `circuitBreakerEvents`, as `field` says).',
    }),
    field: t.exposeString('field'),
    message: t.exposeString('message'),
  }),
});

const IngestPayload = builder.objectRef<IngestOutcome>('IngestPayload').implement({
  fields: (t) => ({
    run: t.field({ type: Run, resolve: (o) => o.run }),
    accepted: t.exposeInt('accepted', { description: 'Results stored by this call.' }),
    duplicates: t.exposeInt('duplicates', {
      description:
        'Results already stored (same run, test and attempt, or the same attempt under another number), not stored again.',
    }),
    rejected: t.exposeInt('rejected', { description: 'Results refused; see `errors`.' }),
    errors: t.field({ type: [IngestError], resolve: (o) => o.errors }),
    dataVersion: t.exposeInt('dataVersion'),
  }),
});

builder.mutationField('ingest', (t) =>
  t.field({
    type: IngestPayload,
    args: { input: t.arg({ type: IngestInput, required: true }) },
    resolve: (_root, { input }, ctx) => ingestResolvers.ingest(ctx, input),
  }),
);

const ImportSummary = builder.objectRef<ImportSummaryModel>('ImportSummary').implement({
  description:
    'What importing one report file stored: one run, idempotent on run + test + attempt (a re-upload is all duplicates).',
  fields: (t) => ({
    run: t.field({ type: Run, resolve: (s) => s.run }),
    format: t.exposeString('format', {
      description: 'junit, ctrf, playwright, jest, …: the format the file was read as.',
    }),
    tests: t.exposeInt('tests', {
      description: 'Tests of the accepted attempts: passed + failed + skipped.',
    }),
    attempts: t.exposeInt('attempts', {
      description: 'Attempts in the file (reruns count each): accepted + duplicates + rejected.',
    }),
    accepted: t.exposeInt('accepted', { description: 'Attempts stored by this upload.' }),
    duplicates: t.exposeInt('duplicates', { description: 'Attempts already stored, not stored again.' }),
    rejected: t.exposeInt('rejected', { description: 'Attempts refused; see `errors`.' }),
    passed: t.exposeInt('passed', {
      description: "Executions of the file's tests that passed (flaky included).",
    }),
    failed: t.exposeInt('failed', { description: 'Executions that failed or errored.' }),
    flaky: t.exposeInt('flaky', { description: 'Executions that passed on a rerun after failing.' }),
    skipped: t.exposeInt('skipped'),
    errors: t.field({
      type: [IngestError],
      description: 'Refused attempts by position in the file, with the reason (at most 100).',
      resolve: (s) => s.errors,
    }),
    warnings: t.exposeStringList('warnings', {
      description: 'What was read leniently, e.g. a missing time taken as 0.',
    }),
    dataVersion: t.exposeInt('dataVersion'),
  }),
});

const ReportFileFormat = builder.enumType('ReportFileFormat', {
  description: 'The format of an uploaded test report; AUTO looks at the file name and its first bytes.',
  values: {
    AUTO: {},
    JUNIT: {},
    CTRF: {},
    PLAYWRIGHT: { description: 'The Playwright JSON reporter (--reporter=json).' },
    JEST: { description: 'Jest --json output (or Vitest --reporter=json).' },
    TRX: { description: 'VSTest TRX (dotnet test --logger trx).' },
    NUNIT: { description: 'NUnit 3 XML (TestResult.xml).' },
    XUNIT: { description: 'xUnit.net v2 XML (--xml / -xml).' },
    TAP: { description: 'TAP 13/14.' },
    GOTEST: { description: 'go test -json output.' },
    OTLP: {
      description:
        "OTLP/JSON traces (an ExportTraceServiceRequest) whose spans follow OpenTelemetry's test.* and cicd.* conventions; one run per file.",
    },
    ALLURE: {
      description:
        'One Allure 2 result file (<uuid>-result.json); POST a whole allure-results directory to /ingest/allure.',
    },
  } as const,
});

builder.mutationField('ingestJUnit', (t) =>
  t.field({
    type: ImportSummary,
    description:
      'Imports one test report (JUnit XML in any common dialect, CTRF, Playwright JSON, Jest JSON, TRX, NUnit 3, xUnit.net v2, TAP, go test -json, OTLP/JSON traces, an Allure result file; see ReportFileFormat) as one run. Malformed or hostile files are refused with the line and column and store nothing.',
    args: {
      file: t.arg({ type: FileScalar, required: true }),
      project: t.arg.string({ required: true }),
      branch: t.arg.string(),
      commit: t.arg.string(),
      runId: t.arg.id({
        description:
          "Your CI build id; by default one derived from the project and the file's bytes, so a re-upload adds nothing.",
      }),
      startedAt: t.arg({ type: DateTime, description: 'When the run started, if the report does not say.' }),
      tags: t.arg({
        type: JSONScalar,
        description: 'String → string tags for the run, e.g. {"ci": "github"}.',
      }),
      format: t.arg({ type: ReportFileFormat, defaultValue: 'AUTO' }),
    },
    resolve: (_root, a, ctx) =>
      importReport(ctx, streamChunks(a.file.stream()), reportContext(a, ctx.now()), {
        format: !a.format || a.format === 'AUTO' ? null : (a.format.toLowerCase() as ReportFormat),
        filename: a.file.name,
      }),
  }),
);

const IngestEvent = builder.objectRef<IngestedEvent>('IngestEvent').implement({
  description: 'A committed ingest.',
  fields: (t) => ({
    run: t.field({ type: Run, resolve: (e) => e.run }),
    accepted: t.exposeInt('accepted'),
    duplicates: t.exposeInt('duplicates'),
    passed: t.exposeInt('passed', { description: "Executions of this batch's results that passed." }),
    failed: t.exposeInt('failed', {
      description: "Executions of this batch's results that failed or errored.",
    }),
    dataVersion: t.exposeInt('dataVersion'),
    at: t.expose('at', { type: DateTime }),
  }),
});

const IngestedFilter = builder.inputType('IngestedFilter', {
  fields: (t) => ({ project: t.stringList(), branch: t.stringList() }),
});

builder.subscriptionField('ingested', (t) =>
  t.field({
    type: IngestEvent,
    description: 'Every committed ingest matching the filter, as it happens.',
    args: { filter: t.arg({ type: IngestedFilter }) },
    subscribe: (_root, { filter }, ctx) => ingestResolvers.ingestedEvents(ctx, filter ?? {}),
    resolve: (e) => e,
  }),
);
