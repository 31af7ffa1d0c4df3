/** The whole bench's table, section by section, each figure with its goal; and the query-by-scan table. */
import type { DeliveryFigure } from './alerts.ts';
import type { ImportFigure } from './import.ts';
import type { IngestFigure } from './ingest.ts';
import type { QueryBench } from './queries.ts';
import { type Figure, fmt } from './report.ts';

/** The operations with the 200 ms goal: daily trends and per-test flakiness over the full history. */
const ANALYTICS_GOAL = new Set(['Trends', 'FlakinessFullHistory']);

/** The speed goals. */
export const GOALS = {
  ingestPerSecond: 50_000,
  cachedP99Ms: 2,
  coldRatio: 1.1,
  analyticsMs: 200,
  rssMb: 1024,
  alertP99Ms: 50,
  firstPageMs: 100,
  compareMs: 300,
  performanceViewMs: 1000,
  bulkRowsPerSecond: 300_000,
} as const;

/** Cold goals of single analyses at 10M (checked, like every cold figure, against p99): compare, the performance view. */
const OPERATION_GOAL: Readonly<Record<string, number>> = {
  Compare: GOALS.compareMs,
  PerformanceByHardwareModelBatch: GOALS.performanceViewMs,
};

/**
 * An operation's cold goal in ms, if it has one. It is judged from a separate process
 * (cold-server.ts); the query bench's own cold rows, timed in the gateway's process, carry none.
 */
export function coldGoalMs(operation: string): number | undefined {
  return ANALYTICS_GOAL.has(operation) ? GOALS.analyticsMs : OPERATION_GOAL[operation];
}

/** p50 / p95 / p99, as the tables show them. */
export const triple = (x: { p50: number; p95: number; p99: number }) =>
  [x.p50, x.p95, x.p99].map(fmt).join(' / ');

export function ingestFigures(ingest: readonly IngestFigure[]): Figure[] {
  const figures: Figure[] = [];
  for (const f of ingest) {
    figures.push({
      figure: `ingest mutation, batches of ${f.batchSize.toLocaleString('en-US')}`,
      value: f.resultsPerSecond,
      unit: 'results/s',
      goal: { op: '>=', value: GOALS.ingestPerSecond },
    });
  }
  return figures;
}

export function importFigures(imports: readonly ImportFigure[]): Figure[] {
  const figures: Figure[] = [];
  for (const f of imports) {
    figures.push({
      figure: `${f.format === 'junit' ? 'JUnit XML' : 'CTRF'} files of ${f.results / f.files} results, ${f.path}, ${f.database} database`,
      value: f.resultsPerSecond,
      unit: 'results/s',
      goal: { op: '>=', value: GOALS.ingestPerSecond },
    });
  }
  return figures;
}

/** DuckDB's plain scans, then per operation: cold, next to DuckDB, repeated; then the concurrent clients. */
export function queryFigures(q: QueryBench): Figure[] {
  const figures: Figure[] = [];
  for (const s of q.scans) {
    figures.push({
      figure: `DuckDB plain scan of ${s.table} (${s.rows.toLocaleString('en-US')} rows) p50 / p95 / p99`,
      value: s.duckdb.p99,
      display: triple(s.duckdb),
      unit: 'ms',
      goal: null,
    });
  }
  for (const r of q.queries) {
    if (r.error !== undefined) {
      figures.push({
        figure: `${r.operation} FAILED`,
        value: Number.NaN,
        display: r.error.replace(/\|/g, '/').slice(0, 200),
        unit: '',
        goal: null,
      });
      continue;
    }
    // A cold goal is judged on the server alone (cold-server.ts); here the bench's client, its
    // hand-written SQL and their garbage share the gateway's process and cores.
    const own = coldGoalMs(r.operation) !== undefined;
    figures.push({
      figure: `${r.operation} cold p50 / p95 / p99${own ? ", in the bench's process" : ''}`,
      value: r.cold.p99,
      display: triple(r.cold),
      unit: 'ms',
      goal: null,
    });
    const s = q.sql.find((x) => x.operation === r.operation);
    if (s) {
      const same = s.sameAnswer;
      const what = same
        ? 'same SQL by hand on DuckDB'
        : 'DuckDB reading the same rows (plain SQL, no analysis)';
      figures.push({
        figure: `${r.operation}: ${what} p50 / p95 / p99`,
        value: s.duckdb.p99,
        display: triple(s.duckdb),
        unit: 'ms',
        goal: null,
      });
      figures.push({
        figure: `${r.operation}: gateway cold / DuckDB (p50)`,
        value: s.ratioP50,
        unit: '×',
        goal: same ? { op: '<=', value: GOALS.coldRatio } : null,
      });
    }
    // An operation the cross-request cache does not cover is still timed on repeat, and says so.
    // No goal: the cached-answer goal is judged from a separate process (cached.ts); here the
    // bench's own client and garbage collection share the gateway's process and cores.
    const repeat = r.warmCacheHits > 0 ? 'cached' : 'repeated (0 cache hits)';
    figures.push({
      figure: `${r.operation} ${repeat} p50 / p95 / p99, in the bench's process`,
      value: r.warm.p99,
      display: triple(r.warm),
      unit: 'ms',
      goal: null,
    });
  }
  for (const c of q.concurrency) {
    figures.push({
      figure: `${c.clients} concurrent clients, dashboard mix: requests/s`,
      value: c.requestsPerSecond,
      unit: 'req/s',
      goal: null,
    });
    figures.push({
      figure: `${c.clients} concurrent clients, dashboard mix: p50 / p95 / p99`,
      value: c.latency.p99,
      display: triple(c.latency),
      unit: 'ms',
      goal: null,
    });
  }
  return figures;
}

export function alertFigures(alerts: readonly DeliveryFigure[]): Figure[] {
  const figures: Figure[] = [];
  for (const a of alerts) {
    if (a.busy) {
      figures.push({
        figure: `alert delivery to ${a.subscribers.toLocaleString('en-US')} graphql-ws subscriber(s) while ${a.busy.clients} other clients ingest runs of ${a.busy.batch.toLocaleString('en-US')} results back to back (${a.busy.runs} runs), p50 / p95 / p99`,
        value: a.latency.p99,
        display: triple(a.latency),
        unit: 'ms',
        goal: null,
      });
      continue;
    }
    // the goal: an alert reaches 1,000 live subscribers within 50 ms (p99) of the ingest that triggered it.
    figures.push({
      figure: `alert delivery to ${a.subscribers.toLocaleString('en-US')} graphql-ws subscriber(s) p50 / p95 / p99`,
      value: a.latency.p99,
      display: triple(a.latency),
      unit: 'ms',
      goal: a.subscribers === 1_000 ? { op: '<=', value: GOALS.alertP99Ms } : null,
    });
    figures.push({
      figure: `the first alerts after ${a.subscribers.toLocaleString('en-US')} subscriber(s) connect to a fresh gateway, p50 / p95 / p99`,
      value: a.first.p99,
      display: triple(a.first),
      unit: 'ms',
      goal: null,
    });
  }
  return figures;
}

/**
 * Peak memory of the bench's process while serving, over the query section, and over the whole
 * run: no goal, as they hold the bench's clients and hand-written SQL too; the server's own
 * memory, in a process of its own (memory.ts), is judged against the 1 GB goal.
 */
export function memoryFigures(
  servingPeakRssMb: number,
  queryPeakRssMb: number,
  mem: { peakRssMb: number; maxRssMb: number },
): Figure[] {
  const figures: Figure[] = [];
  figures.push({
    figure:
      "peak RSS of the bench's process while serving queries on the reference set (sampled every 50 ms)",
    value: servingPeakRssMb,
    unit: 'MB',
    goal: null,
  });
  figures.push({
    figure: "peak RSS of the query section, incl. the bench's own full-history flakiness scan by hand",
    value: queryPeakRssMb,
    unit: 'MB',
    goal: null,
  });
  figures.push({
    figure: "peak RSS of the bench's process over the whole run (sampled every 50 ms)",
    value: mem.peakRssMb,
    unit: 'MB',
    goal: null,
  });
  figures.push({
    figure: "max RSS of the bench's process (process.resourceUsage)",
    value: mem.maxRssMb,
    unit: 'MB',
    goal: null,
  });
  return figures;
}

/**
 * One line per operation: gateway cold and cached p50, DuckDB running the
 * same SQL (or reading the same rows), and DuckDB's plain scan of
 * `executions`, with the cold time as a multiple of that scan.
 */
export function scanTable(q: QueryBench): string {
  const scan = q.scans.find((s) => s.table === 'executions')?.duckdb.p50 ?? Number.NaN;
  const results = q.scans.find((s) => s.table === 'results')?.duckdb.p50 ?? Number.NaN;
  const header = [
    'operation',
    'gateway cold p50',
    'gateway cached p50',
    'DuckDB same SQL / same rows p50',
    `plain scan p50: executions ${fmt(scan)} ms, results ${fmt(results)} ms`,
    'cold ÷ executions scan',
  ];
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rows = q.queries.map((r) => {
    if (r.error !== undefined) return [r.operation, 'failed', '—', '—', '—', '—'];
    const s = q.sql.find((x) => x.operation === r.operation);
    return [
      r.operation,
      `${fmt(r.cold.p50)} ms`,
      `${fmt(r.warm.p50)} ms`,
      s ? `${fmt(s.duckdb.p50)} ms (${s.sameAnswer ? 'same SQL' : 'same rows'})` : '—',
      `${fmt(scan)} ms`,
      `${(r.cold.p50 / scan).toFixed(1)}×`,
    ];
  });
  return [line(header), line(header.map((h, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}
