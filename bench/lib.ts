import { readFileSync } from 'node:fs';
import { parse, Kind } from 'graphql';

/** Progress goes to stderr so stdout holds only the result table. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Latency summary in milliseconds; percentiles interpolate linearly (like DuckDB's quantile_cont). */
export interface Summary {
  readonly n: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

function percentile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (pos - lo);
}

export function summarise(samples: readonly number[]): Summary {
  const s = [...samples].sort((x, y) => x - y);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    n: s.length,
    min: round(s[0] ?? Number.NaN),
    mean: round(s.reduce((sum, v) => sum + v, 0) / Math.max(1, s.length)),
    p50: round(percentile(s, 0.5)),
    p95: round(percentile(s, 0.95)),
    p99: round(percentile(s, 0.99)),
    max: round(s[s.length - 1] ?? Number.NaN),
  };
}

/** Milliseconds spent in `fn`, and what it returned. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

// ---------------------------------------------------------------- the public contract

const CONTRACT_URL = new URL('../../shared/contract/operations.graphql', import.meta.url);

/** The contract document, sent whole with an operationName, exactly as clients send it. */
export interface Contract {
  readonly text: string;
  readonly operations: ReadonlySet<string>;
}

/** Bench-only operations (bench/operations.graphql), e.g. Flakiness with the window as a variable. */
const BENCH_OPERATIONS_URL = new URL('./operations.graphql', import.meta.url);

export function loadContract(url: URL = CONTRACT_URL): Contract {
  const text = readFileSync(url, 'utf8');
  const operations = new Set<string>();
  for (const def of parse(text).definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION && def.name) operations.add(def.name.value);
  }
  return { text, operations };
}

export const loadBenchOperations = (): Contract => loadContract(BENCH_OPERATIONS_URL);

// ---------------------------------------------------------------- HTTP client

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

interface GqlBody {
  readonly data?: JsonObject | null;
  readonly errors?: readonly { readonly message: string; readonly extensions?: { readonly code?: string } }[];
}

/** Sends operations of the contract over real HTTP with the global fetch (keep-alive). */
export class GqlClient {
  readonly #url: string;
  readonly #contract: Contract;

  readonly #headers: Readonly<Record<string, string>>;

  /** `headers`: sent with every request besides the JSON ones (`cache-control: no-cache` for cold answers). */
  constructor(url: string, contract: Contract, headers: Readonly<Record<string, string>> = {}) {
    this.#url = url;
    this.#contract = contract;
    this.#headers = headers;
  }

  /** Serialises a request body once, so timing loops measure the server and not JSON.stringify. */
  body(operationName: string, variables: JsonObject = {}): string {
    if (!this.#contract.operations.has(operationName)) {
      throw new Error(
        `operation ${operationName} is not in this client's document (shared/contract/operations.graphql or bench/operations.graphql)`,
      );
    }
    return JSON.stringify({ query: this.#contract.text, operationName, variables });
  }

  /** Posts a prepared body; throws on an HTTP or GraphQL error, so no failed answer is ever timed as a success. */
  async post(operationName: string, body: string): Promise<JsonObject> {
    const res = await fetch(this.#url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...this.#headers,
      },
      body,
    });
    const text = await res.text();
    let parsed: GqlBody;
    try {
      parsed = JSON.parse(text) as GqlBody;
    } catch {
      throw new Error(`${operationName}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`);
    }
    if (parsed.errors?.length) {
      const first = parsed.errors[0];
      throw new Error(
        `${operationName}: ${first?.extensions?.code ?? 'ERROR'}: ${first?.message ?? 'unknown error'} (HTTP ${res.status})`,
      );
    }
    if (!res.ok || !parsed.data) throw new Error(`${operationName}: HTTP ${res.status} without data`);
    return parsed.data;
  }
}

/** Reads a nested field of a JSON answer, e.g. `dig(data, 'tests', 'edges', 0, 'node', 'id')`. */
export function dig(value: Json | undefined, ...path: (string | number)[]): Json | undefined {
  let cur: Json | undefined = value;
  for (const key of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur)
      ? typeof key === 'number'
        ? cur[key]
        : undefined
      : typeof key === 'string'
        ? cur[key]
        : undefined;
  }
  return cur;
}

/**
 * `once` up to `reps` times, one after another, its milliseconds summarised; stops early once
 * `budgetMs` has passed and at least three samples are in.
 */
export async function repeat(reps: number, budgetMs: number, once: () => Promise<number>): Promise<Summary> {
  const samples: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    samples.push(await once());
    if (samples.length >= 3 && performance.now() - t0 > budgetMs) break;
  }
  return summarise(samples);
}

/**
 * One prepared request sent up to `reps` times, one after another (`repeat`), each timed from
 * send to the whole answer read; `before` runs ahead of each (untimed), `spans` collects each
 * request's start and end.
 */
export function requestLatency(
  client: GqlClient,
  operation: string,
  body: string,
  reps: number,
  budgetMs: number,
  before?: () => void,
  spans?: { start: number; end: number }[],
): Promise<Summary> {
  return repeat(reps, budgetMs, async () => {
    before?.();
    const start = performance.now();
    await client.post(operation, body);
    const end = performance.now();
    spans?.push({ start, end });
    return end - start;
  });
}
