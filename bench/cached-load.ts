/**
 * The load generator of bench/cached.ts, in its own process so that its work (HTTP parsing,
 * timers, garbage) never shares the gateway's event loop: `connections` keep-alive connections,
 * each sending the next GET of the list as soon as its previous answer has fully arrived, for
 * `durationMs` after a `warmupMs` not counted (a 304 counts as an answer). Prints one JSON line: the latency summary in ms.
 * Run by bench/cached.ts with its plan as the one argument (JSON).
 *
 * Each connection is a plain socket that reads into one buffer of its own (net's `onread`) and
 * parses only the status line and the headers it needs: Node's HTTP client allocated a Buffer for
 * every read of a 64 KB answer, and that external memory made it run a full garbage collection
 * of 1–2 ms every 25–30 ms (`--trace-gc`), about one request in a hundred: the generator's own
 * pause, which its p99 then reported as the server's.
 */
import { connect, type Socket } from 'node:net';
import { summarise, type Summary } from './lib.ts';

export interface LoadPlan {
  /** Each request's URL, and headers of its own (an If-None-Match) over the plan's. */
  readonly requests: readonly { readonly url: string; readonly headers?: Readonly<Record<string, string>> }[];
  readonly connections: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly headers: Readonly<Record<string, string>>;
}

export interface LoadResult {
  readonly latency: Summary;
  readonly requestsPerSecond: number;
  /** Answers that were not 200 or 304, or not from the response cache (x-assay-cache: hit). */
  readonly notCached: number;
  readonly errors: number;
  readonly bytesPerAnswer: number;
}

interface Answer {
  readonly ok: boolean;
  readonly bytes: number;
}

/** A request's bytes, made once: `GET path HTTP/1.1` with the plan's headers and its own. */
function requestText(url: string, headers: Readonly<Record<string, string>>): string {
  const u = new URL(url);
  const lines = [`GET ${u.pathname}${u.search} HTTP/1.1`, `host: ${u.host}`, 'connection: keep-alive'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** One keep-alive connection with one request in flight, its answers framed by Content-Length. */
class Connection {
  readonly #socket: Socket;
  /** The answer's head read so far, and how many of `\r\n\r\n` its last bytes matched. */
  #head = '';
  #matched = 0;
  /** Body bytes still to come; -1 while the head is read. */
  #remaining = -1;
  #ok = false;
  #bytes = 0;
  #done: ((a: Answer) => void) | null = null;
  #fail: ((e: Error) => void) | null = null;

  constructor(host: string, port: number) {
    const buffer = Buffer.allocUnsafe(256 * 1024);
    this.#socket = connect({ host, port, onread: { buffer, callback: (n) => this.#read(n, buffer) } });
    this.#socket.setNoDelay(true);
    this.#socket.on('error', (e) => this.#fail?.(e));
    this.#socket.on('close', () => this.#fail?.(new Error('the server closed the connection')));
  }

  send(text: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.#done = resolve;
      this.#fail = reject;
      this.#socket.write(text);
    });
  }

  close(): void {
    this.#fail = null;
    this.#socket.destroy();
  }

  #read(n: number, buf: Buffer): boolean {
    let i = 0;
    while (i < n) {
      if (this.#remaining < 0) {
        const start = i;
        while (i < n && this.#matched < 4) {
          const b = buf[i++];
          this.#matched = b === (this.#matched % 2 === 0 ? 13 : 10) ? this.#matched + 1 : b === 13 ? 1 : 0;
        }
        this.#head += buf.toString('latin1', start, i);
        if (this.#matched === 4) this.#startBody();
      } else {
        const take = Math.min(this.#remaining, n - i);
        this.#remaining -= take;
        i += take;
        this.#bytes += take;
      }
      if (this.#remaining === 0) this.#finish();
    }
    return true;
  }

  /** The head is in: its status and cache header, and how long its body is (none for a 304). */
  #startBody(): void {
    const status = Number(this.#head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(this.#head)?.[1];
    const hit = /\r\nx-assay-cache:\s*hit\r\n/i.test(this.#head);
    this.#ok = (status === 200 || status === 304) && hit;
    this.#bytes = 0;
    if (status === 304) this.#remaining = 0;
    else if (length !== undefined) this.#remaining = Number(length);
    else {
      this.#fail?.(new Error(`an answer (${status}) without Content-Length`));
      this.close();
    }
  }

  #finish(): void {
    const done = this.#done;
    this.#head = '';
    this.#matched = 0;
    this.#remaining = -1;
    this.#done = null;
    done?.({ ok: this.#ok, bytes: this.#bytes });
  }
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const first = new URL(plan.requests[0]!.url);
  const texts = plan.requests.map((r) => requestText(r.url, { ...plan.headers, ...r.headers }));
  const samples: number[] = [];
  let notCached = 0;
  let errors = 0;
  let bytes = 0;
  const start = performance.now();
  const measureFrom = start + plan.warmupMs;
  const end = measureFrom + plan.durationMs;
  await Promise.all(
    Array.from({ length: plan.connections }, async (_, c) => {
      let connection = new Connection(first.hostname, Number(first.port));
      for (let i = c; performance.now() < end; i++) {
        const t0 = performance.now();
        try {
          const r = await connection.send(texts[i % texts.length]!);
          if (t0 < measureFrom) continue;
          samples.push(performance.now() - t0);
          bytes += r.bytes;
          if (!r.ok) notCached++;
        } catch {
          errors++;
          connection.close();
          connection = new Connection(first.hostname, Number(first.port));
        }
      }
      connection.close();
    }),
  );
  return {
    latency: summarise(samples),
    requestsPerSecond: Math.round(samples.length / (plan.durationMs / 1000)),
    notCached,
    errors,
    bytesPerAnswer: Math.round(bytes / Math.max(1, samples.length)),
  };
}

const arg = process.argv[2];
if (arg) process.stdout.write(`${JSON.stringify(await run(JSON.parse(arg) as LoadPlan))}\n`);
