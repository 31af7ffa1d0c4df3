import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Resolves a host name to every address it has (node:dns `lookup` with `all`). */
export type HostLookup = (host: string) => Promise<readonly string[]>;

export const systemLookup: HostLookup = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Whether a destination may be posted to, and if not, why. */
export type Verdict =
  /** `addresses`: those checked, the only ones a POST may connect to; null for a host allowed by name. */
  | { readonly ok: true; readonly addresses: readonly string[] | null }
  | { readonly ok: false; readonly error: string; readonly retry: boolean };

/** `host:port` of a URL, with the scheme's default port: the unit of the allow-list and of per-host queues. */
export function destinationKey(url: URL): string {
  return `${url.hostname.toLowerCase()}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

/**
 * An operator's allow-list, `HOST[:PORT],…` (`--webhook-allow`, `ASSAY_WEBHOOK_ALLOW`): hosts
 * (or addresses) webhooks may reach although they resolve to a loopback, private or
 * link-local address. Entries are read as a URL would read them, so `127.1` means 127.0.0.1.
 * @throws TypeError naming an entry that is not a host.
 */
export function parseAllowList(list: string | readonly string[] | undefined): string[] {
  const entries = typeof list === 'string' ? list.split(',') : [...(list ?? [])];
  return entries
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .map((entry) => {
      let url: URL;
      try {
        url = new URL(`http://${entry}`);
      } catch {
        throw new TypeError(`webhook allow-list entry "${entry}" is not HOST or HOST:PORT`);
      }
      if (url.pathname !== '/' || url.username || url.search)
        throw new TypeError(`webhook allow-list entry "${entry}" is not HOST or HOST:PORT`);
      const host = url.hostname.toLowerCase();
      return url.port || /:\d+$/.test(entry) ? `${host}:${url.port || '80'}` : host;
    });
}

const v4 = (a: number, b: number, c: number, d: number): number =>
  ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;

/** Internal IPv4 ranges (RFC 6890 special-purpose registry), [first address, prefix length, what it is]. */
const V4_BLOCKED: readonly (readonly [number, number, string])[] = [
  [v4(0, 0, 0, 0), 8, 'unspecified'],
  [v4(10, 0, 0, 0), 8, 'private'],
  [v4(100, 64, 0, 0), 10, 'shared (carrier-grade NAT)'],
  [v4(127, 0, 0, 0), 8, 'loopback'],
  [v4(169, 254, 0, 0), 16, 'link-local (cloud metadata)'],
  [v4(172, 16, 0, 0), 12, 'private'],
  [v4(192, 0, 0, 0), 24, 'IETF protocol assignments'],
  [v4(192, 168, 0, 0), 16, 'private'],
  [v4(198, 18, 0, 0), 15, 'benchmarking'],
  [v4(224, 0, 0, 0), 4, 'multicast'],
  [v4(240, 0, 0, 0), 4, 'reserved or broadcast'],
];

function ipv4Number(address: string): number {
  const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
  return v4(a, b, c, d);
}

function blockedV4(n: number): string | null {
  for (const [first, bits, what] of V4_BLOCKED) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((n & mask) >>> 0 === first) return what;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail read). */
function ipv6Groups(address: string): number[] {
  let text = address.replace(/^\[|\]$/g, '').split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = ipv4Number(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  return [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

function blockedV6(address: string): string | null {
  const g = ipv6Groups(address);
  const embedded = (hi: number, lo: number) => blockedV4(((g[hi]! << 16) >>> 0) + g[lo]!);
  if (g.every((x) => x === 0)) return 'unspecified';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): judge the IPv4 inside.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return embedded(6, 7);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded(6, 7);
  if (g[0] === 0x2002) return embedded(1, 2); // 6to4 carries an IPv4 address
  const first = g[0]!;
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xffc0) === 0xfec0) return 'site-local';
  if ((first & 0xfe00) === 0xfc00) return 'unique-local (private)';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  return null;
}

/** What kind of internal address this is (loopback, private, link-local, …), or null for a public one. */
export function internalAddress(address: string): string | null {
  const kind = isIP(address.replace(/^\[|\]$/g, '').split('%')[0]!);
  if (kind === 4) return blockedV4(ipv4Number(address));
  if (kind === 6) return blockedV6(address);
  return 'not an IP address';
}

/**
 * Decides at send time whether a webhook URL may be posted to: its host is resolved
 * (every address) and refused when any address is internal, unless the allow-list names
 * the host, the host and port, or the address. A host that does not resolve may be a
 * passing DNS failure, so it is retried.
 */
export async function checkDestination(
  url: URL,
  allow: readonly string[],
  lookup: HostLookup,
): Promise<Verdict> {
  const host = url.hostname.toLowerCase();
  const key = destinationKey(url);
  const allowed = (name: string) =>
    allow.includes(name) || allow.includes(`${name}:${key.slice(key.lastIndexOf(':') + 1)}`);
  if (allowed(host)) return { ok: true, addresses: null };
  const bare = host.replace(/^\[|\]$/g, '');
  let addresses: readonly string[];
  if (isIP(bare)) addresses = [bare];
  else {
    try {
      addresses = await lookup(bare);
    } catch (err) {
      return {
        ok: false,
        retry: true,
        error: `cannot resolve ${host}: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
  if (!addresses.length) return { ok: false, retry: true, error: `cannot resolve ${host}: no addresses` };
  for (const address of addresses) {
    const what = internalAddress(address);
    if (what && !allowed(address.includes(':') ? `[${address}]` : address)) {
      return {
        ok: false,
        retry: false,
        error: `refused: ${host} resolves to ${address}, a ${what} address; an operator may allow it with --webhook-allow ${key}`,
      };
    }
  }
  return { ok: true, addresses };
}
