/** The peer section's types (what bench/peer/peer.ts prints, and the section's result) and its tables. */
import type { ReferenceSet } from './reference.ts';
import type { Summary } from './lib.ts';
import { type Figure, fmt } from './report.ts';

// What bench/peer/peer.ts prints (its PeerReport).

interface PeerSummary {
  readonly n: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

interface PeerQueryFigure {
  readonly operation: string;
  readonly coverage: 'full' | 'partial' | 'none';
  readonly note: string;
  readonly postgraphile?: { readonly first: number; readonly repeated: PeerSummary; readonly rows: number };
  readonly sql?: { readonly text: string; readonly summary: PeerSummary; readonly rows: number };
  readonly error?: string;
}

export interface PeerReport {
  readonly postgres: string;
  readonly postgraphile: string;
  readonly pgAggregates: string;
  readonly database: string;
  readonly indexes: readonly string[];
  readonly load: {
    readonly rows: { readonly runs: number; readonly tests: number; readonly results: number };
    readonly csvMb: number;
    readonly copySeconds: number;
    readonly copyRowsPerSecond: number;
    readonly indexSeconds: number;
    readonly analyzeSeconds: number;
    readonly readyRowsPerSecond: number;
    readonly databaseMb: number;
  };
  readonly queries: readonly PeerQueryFigure[];
}

export interface PeerOptions {
  readonly reference: { readonly tests: number; readonly runs: number; readonly seed: number };
  readonly coldReps: number;
  readonly warmReps: number;
  readonly budgetMs: number;
  /** Runs of the reference set Assay ingests (oldest first) for its side of the ingest comparison. */
  readonly ingestRuns: number;
  /** Base URL of the PostgreSQL server (trust auth), without a database. */
  readonly postgresUrl?: string;
}

export interface AssayFigure {
  readonly operation: string;
  readonly cold: Summary;
  readonly cached: Summary;
  readonly error?: string;
}

export interface PeerBench {
  readonly reference: ReferenceSet;
  readonly loadAverage: readonly number[];
  readonly peer: PeerReport;
  readonly assayIngest: {
    readonly runs: number;
    readonly results: number;
    readonly seconds: number;
    readonly resultsPerSecond: number;
    /** Latency of one Ingest call (one run), ms. */
    readonly call: Summary;
  };
  readonly assay: readonly AssayFigure[];
  readonly figures: Figure[];
  readonly tables: string[];
}

const ms = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : `${fmt(v)} ms`);
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
    ? '—'
    : (a / b).toFixed(2);
const n = (v: number) => v.toLocaleString('en-US');
const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly string[])[]) =>
  [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');

type Sides = Pick<PeerBench, 'reference' | 'loadAverage' | 'peer' | 'assayIngest' | 'assay'>;

/** The section's Markdown: a header on versions and load, the load table, the query table, the notes. */
export function peerTables({ reference, loadAverage, peer, assayIngest: ingest, assay }: Sides): string {
  const l = peer.load;
  const loadTable = table(
    ['load', 'rows', 'seconds', 'rows/s'],
    [
      [
        `PostgreSQL COPY FROM STDIN (runs, tests, results; ${l.csvMb} MB of CSV)`,
        n(l.rows.runs + l.rows.tests + l.rows.results),
        String(l.copySeconds),
        n(l.copyRowsPerSecond),
      ],
      [
        `PostgreSQL COPY + keys and ${peer.indexes.filter((x) => x.startsWith('CREATE INDEX')).length} indexes (${l.indexSeconds} s) + ANALYZE (${l.analyzeSeconds} s)`,
        n(l.rows.runs + l.rows.tests + l.rows.results),
        String(Math.round((l.copySeconds + l.indexSeconds + l.analyzeSeconds) * 100) / 100),
        n(l.readyRowsPerSecond),
      ],
      [
        `Assay Ingest mutation over HTTP, the same rows of the first ${ingest.runs} runs (one call per run)`,
        n(ingest.results),
        String(ingest.seconds),
        n(ingest.resultsPerSecond),
      ],
    ],
  );
  const byOp = new Map(assay.map((a) => [a.operation, a]));
  const queryRows = peer.queries.map((q) => {
    const a = byOp.get(q.operation === 'FlakinessFullHistory' ? 'FlakinessFullHistory' : q.operation);
    const pg = q.postgraphile;
    const expressible = q.error
      ? `failed: ${q.error.slice(0, 80)}`
      : q.coverage === 'none'
        ? 'not expressible'
        : q.coverage;
    return [
      q.operation,
      expressible,
      pg ? ms(pg.first) : '—',
      pg ? ms(pg.repeated.p50) : '—',
      q.sql ? ms(q.sql.summary.p50) : '—',
      a?.error ? 'failed' : ms(a?.cold.p50),
      a?.error ? 'failed' : ms(a?.cached.p50),
      pg ? ratio(a?.cold.p50, pg.repeated.p50) : '—',
      q.sql ? ratio(a?.cold.p50, q.sql.summary.p50) : '—',
    ];
  });
  const queryTable = table(
    [
      'operation',
      'PostGraphile + pg-aggregates',
      'PostGraphile first request',
      'PostGraphile repeated p50',
      'same SQL on PostgreSQL p50',
      'Assay cold p50',
      'Assay cached p50',
      'Assay cold ÷ PostGraphile',
      'Assay cold ÷ PostgreSQL SQL',
    ],
    queryRows,
  );
  const notes = peer.queries.map(
    (q) => `- **${q.operation}** (${q.coverage === 'none' ? 'not expressible' : q.coverage}): ${q.note}`,
  );

  const header =
    `### Assay next to PostgreSQL ${peer.postgres} + PostGraphile ${peer.postgraphile} + @graphile/pg-aggregates ${peer.pgAggregates}\n\n` +
    `Reference set ${n(reference.results)} results, ${n(reference.runs)} runs, ${n(reference.tests)} tests; load average ${loadAverage.slice(0, 3).join(' / ')} at the start, ${loadAverage.slice(3).join(' / ')} at the end. ` +
    `PostGraphile: the first request of each query, then repeats (it has no answer cache: each is computed anew by PostgreSQL), the client's finishing work (merging status groups, sorting) included. ` +
    `Assay: cold = its caches cleared before each request; cached = repeated. Ratio below 1: Assay is faster.`;
  return `${header}\n\n${loadTable}\n\n${queryTable}\n\n${notes.join('\n')}`;
}

/** Figures for latest.json (no goals: a comparison, not a target). */
export function peerFigures({ peer, assayIngest: ingest, assay }: Sides): Figure[] {
  const l = peer.load;
  const byOp = new Map(assay.map((a) => [a.operation, a]));
  const figures: Figure[] = [
    {
      figure: 'peer: PostgreSQL COPY of the reference set',
      value: l.copyRowsPerSecond,
      unit: 'rows/s',
      goal: null,
    },
    {
      figure: 'peer: PostgreSQL COPY + keys + indexes + ANALYZE',
      value: l.readyRowsPerSecond,
      unit: 'rows/s',
      goal: null,
    },
    {
      figure: `peer: Assay Ingest of the same rows (${ingest.runs} runs)`,
      value: ingest.resultsPerSecond,
      unit: 'results/s',
      goal: null,
    },
  ];
  for (const q of peer.queries) {
    const a = byOp.get(q.operation);
    if (q.postgraphile)
      figures.push({
        figure: `peer: ${q.operation} PostGraphile repeated p50 (${q.coverage})`,
        value: q.postgraphile.repeated.p50,
        unit: 'ms',
        goal: null,
      });
    else
      figures.push({
        figure: `peer: ${q.operation} PostGraphile`,
        value: Number.NaN,
        display: q.error ? `FAILED: ${q.error.replace(/\|/g, '/').slice(0, 120)}` : 'not expressible',
        unit: '',
        goal: null,
      });
    if (q.sql)
      figures.push({
        figure: `peer: ${q.operation} same SQL on PostgreSQL p50`,
        value: q.sql.summary.p50,
        unit: 'ms',
        goal: null,
      });
    if (a && !a.error)
      figures.push({
        figure: `peer: ${q.operation} Assay cold p50`,
        value: a.cold.p50,
        unit: 'ms',
        goal: null,
      });
  }
  return figures;
}
