import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSecureContext, createServer as createTlsServer } from 'node:tls';
import { pinnedFetch } from '../../src/alerts/pinned-fetch.ts';
import {
  checkDestination,
  internalAddress,
  parseAllowList,
  type HostLookup,
} from '../../src/alerts/destination.ts';
import { createWebhookDispatcher, type WebhookOptions } from '../../src/alerts/webhooks.ts';
import type { Alert, AlertDelivery } from '../../src/domain/alerts.ts';

const NOW = new Date('2026-11-02T10:05:01Z');

function alertTo(webhooks: readonly string[], id: string): Alert {
  return {
    id,
    kind: 'PASS_RATE_DROP',
    severity: 'CRITICAL',
    message: 'Pass rate fell',
    firedAt: NOW,
    value: 0.6,
    threshold: 0.8,
    acknowledgedAt: null,
    resolvedAt: null,
    group: { tags: {} },
    groupKey: '{}',
    rule: {
      id: 'rule-1',
      name: 'r',
      kind: 'PASS_RATE_DROP',
      filter: {},
      series: null,
      groupBy: [],
      operator: 'LT',
      threshold: 0.8,
      windowMinutes: 60,
      severity: 'CRITICAL',
      cooldownMinutes: 30,
      channels: webhooks.map((webhook) => ({ webhook, format: 'JSON' as const })),
      enabled: true,
      createdAt: NOW,
      updatedAt: NOW,
    },
    deliveries: [],
  };
}

/** Names the tests resolve, as a resolver would answer. */
const DNS: Record<string, readonly string[]> = {
  localhost: ['127.0.0.1', '::1'],
  'hooks.example.com': ['93.184.216.34'],
  'intranet.example.com': ['192.168.1.5'],
  'split.example.com': ['93.184.216.34', '10.1.1.1'],
  'v6.example.com': ['2606:2800:220:1:248:1893:25c8:1946'],
  'mapped.example.com': ['::ffff:7f00:1'],
  'slow.example.com': ['93.184.216.35'],
  'fast.example.com': ['93.184.216.36'],
};
const lookup: HostLookup = async (host) => {
  const a = DNS[host];
  if (!a) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
  return a;
};

/** A dispatcher whose fetch records each call and answers when the test says. */
function harness(overrides: Partial<WebhookOptions> = {}) {
  const outcomes: { alertId: string; delivery: AlertDelivery }[] = [];
  const calls: { url: string; release: () => void }[] = [];
  const fetch = ((url: URL) =>
    new Promise<Response>((resolve) => {
      calls.push({ url: url.href, release: () => resolve(new Response(null, { status: 204 })) });
    })) as unknown as typeof globalThis.fetch;
  const dispatcher = createWebhookDispatcher({
    onOutcome: (alertId, delivery) => void outcomes.push({ alertId, delivery }),
    fetch,
    lookup,
    now: () => NOW,
    random: () => 0.5,
    sleep: async () => {},
    ...overrides,
  });
  return { dispatcher, outcomes, calls };
}

describe('internalAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.2.3.4', 'private'],
    ['172.31.0.1', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved or broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'unique-local (private)'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local (cloud metadata)'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
  ])('calls %s %s', (address, what) => {
    expect(internalAddress(address)).toBe(what);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:2800:220:1:248:1893:25c8:1946', '::ffff:8.8.8.8'])(
    'lets the public %s through',
    (address) => {
      expect(internalAddress(address)).toBeNull();
    },
  );
});

describe('checkDestination', () => {
  it.each([
    ['http://127.0.0.1/h', '127.0.0.1'],
    ['http://localhost:8080/h', '127.0.0.1'],
    ['http://0x7f000001/h', '127.0.0.1'],
    ['http://2130706433/h', '127.0.0.1'],
    ['http://127.1/h', '127.0.0.1'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['http://[::1]/h', '::1'],
    ['http://[::ffff:127.0.0.1]/h', '::ffff:7f00:1'],
    ['https://intranet.example.com/h', '192.168.1.5'],
    ['https://split.example.com/h', '10.1.1.1'],
    ['https://mapped.example.com/h', '::ffff:7f00:1'],
  ])('refuses %s, which reaches %s', async (webhook, address) => {
    const verdict = await checkDestination(new URL(webhook), [], lookup);
    expect(verdict).toMatchObject({ ok: false, retry: false });
    expect(verdict.ok ? '' : verdict.error).toContain(`resolves to ${address}, a `);
  });

  it('lets public hosts through, and retries a name that does not resolve', async () => {
    expect(await checkDestination(new URL('https://hooks.example.com/h'), [], lookup)).toEqual({
      ok: true,
      addresses: ['93.184.216.34'],
    });
    expect(await checkDestination(new URL('https://v6.example.com/h'), [], lookup)).toEqual({
      ok: true,
      addresses: ['2606:2800:220:1:248:1893:25c8:1946'],
    });
    expect(await checkDestination(new URL('https://nowhere.example.com/h'), [], lookup)).toMatchObject({
      ok: false,
      retry: true,
    });
  });

  it('lets the allow-list open a host, a host and port, or an address, read as a URL reads it', async () => {
    const allow = parseAllowList('127.1:9000, intranet.example.com,[::1]');
    expect(allow).toEqual(['127.0.0.1:9000', 'intranet.example.com', '[::1]']);
    expect(await checkDestination(new URL('http://127.0.0.1:9000/h'), allow, lookup)).toEqual({
      ok: true,
      addresses: null,
    });
    expect(await checkDestination(new URL('http://2130706433:9000/h'), allow, lookup)).toEqual({
      ok: true,
      addresses: null,
    });
    expect(await checkDestination(new URL('http://127.0.0.1:9001/h'), allow, lookup)).toMatchObject({
      ok: false,
    });
    expect(await checkDestination(new URL('https://intranet.example.com/h'), allow, lookup)).toEqual({
      ok: true,
      addresses: null,
    });
    expect(await checkDestination(new URL('http://[::1]:4000/h'), allow, lookup)).toEqual({
      ok: true,
      addresses: null,
    });
    expect(parseAllowList(undefined)).toEqual([]);
    expect(() => parseAllowList('http://x/y')).toThrow(/not HOST or HOST:PORT/);
  });
});

describe('webhook dispatch to internal addresses', () => {
  it('never posts to a refused destination and records why, without retrying', async () => {
    const { dispatcher, outcomes, calls } = harness();
    dispatcher.send(
      alertTo(
        ['http://169.254.169.254/latest', 'http://0x7f000001:4000/h', 'https://hooks.example.com/h'],
        'al-1',
      ),
    );
    for (let i = 0; calls.length < 1 && i < 100; i++) await new Promise((r) => setImmediate(r));
    calls.forEach((c) => c.release());
    await dispatcher.idle();
    expect(calls.map((c) => c.url)).toEqual(['https://hooks.example.com/h']);
    const byWebhook = Object.fromEntries(outcomes.map((o) => [o.delivery.channel.webhook, o.delivery]));
    expect(byWebhook['http://169.254.169.254/latest']).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastError:
        'refused: 169.254.169.254 resolves to 169.254.169.254, a link-local (cloud metadata) address; an operator may allow it with --webhook-allow 169.254.169.254:80',
    });
    expect(byWebhook['http://0x7f000001:4000/h']).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(byWebhook['https://hooks.example.com/h']).toMatchObject({ status: 'DELIVERED' });
    await dispatcher.close(0);
  });

  it('posts to an internal destination the operator allowed', async () => {
    const { dispatcher, outcomes, calls } = harness({ allow: 'localhost:4000' });
    dispatcher.send(alertTo(['http://localhost:4000/h'], 'al-1'));
    for (let i = 0; calls.length < 1 && i < 100; i++) await new Promise((r) => setImmediate(r));
    calls.forEach((c) => c.release());
    await dispatcher.idle();
    expect(outcomes.map((o) => o.delivery.status)).toEqual(['DELIVERED']);
    await dispatcher.close(0);
  });
});

describe('webhook queues per destination', () => {
  it('serves a healthy destination while a slow one holds only its own slots', async () => {
    const { dispatcher, outcomes, calls } = harness({ concurrency: 4, perHostConcurrency: 2 });
    for (let i = 1; i <= 8; i++) dispatcher.send(alertTo(['https://slow.example.com/h'], `slow-${i}`));
    dispatcher.send(alertTo(['https://fast.example.com/h'], 'fast'));
    const started = (host: string) => calls.filter((c) => c.url.includes(host));
    for (let i = 0; started('fast').length === 0 && i < 1000; i++) await new Promise((r) => setImmediate(r));

    // The fast webhook was called although it was sent after eight slow ones, none of which has answered.
    expect(started('fast')).toHaveLength(1);
    expect(started('slow')).toHaveLength(2);
    started('fast')[0]!.release();
    for (let i = 0; outcomes.length === 0 && i < 1000; i++) await new Promise((r) => setImmediate(r));
    expect(outcomes.map((o) => o.alertId)).toEqual(['fast']);

    // The slow destination is served two at a time until its queue is empty.
    for (let served = 0; served < 8; ) {
      const open = started('slow').slice(served);
      expect(open.length).toBeLessThanOrEqual(2);
      open.forEach((c) => c.release());
      served += open.length;
      for (let i = 0; started('slow').length === served && served < 8 && i < 1000; i++)
        await new Promise((r) => setImmediate(r));
    }
    await dispatcher.idle();
    expect(outcomes.filter((o) => o.delivery.status === 'DELIVERED')).toHaveLength(9);
    expect(dispatcher.stats()).toMatchObject({ delivered: 9, queued: 0, inFlight: 0 });
    await dispatcher.close(0);
  });
});

describe('webhook posts pinned to the checked address', () => {
  it('connects to the address the check approved, not to what the host answers the second time', async () => {
    // Two receivers on one port: 127.0.0.1 is the destination the operator allowed, 127.0.0.2
    // stands for an internal service a rebinding host would point the POST at once checked.
    const seen: { at: string; host: string | undefined; body: string }[] = [];
    const receiver = (at: string) =>
      createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          seen.push({ at, host: req.headers.host, body });
          res.writeHead(204).end();
        });
      });
    const allowed = receiver('127.0.0.1');
    await new Promise<void>((resolve) => allowed.listen(0, '127.0.0.1', resolve));
    const port = (allowed.address() as AddressInfo).port;
    const internal = receiver('127.0.0.2');
    await new Promise<void>((resolve) => internal.listen(port, '127.0.0.2', resolve));
    const asked: string[] = [];
    const rebinding: HostLookup = async (host) => {
      asked.push(host);
      return asked.length === 1 ? ['127.0.0.1'] : ['127.0.0.2'];
    };
    const outcomes: AlertDelivery[] = [];
    const dispatcher = createWebhookDispatcher({
      onOutcome: (_id, delivery) => void outcomes.push(delivery),
      lookup: rebinding,
      allow: `127.0.0.1:${port}`,
      attempts: 1,
      now: () => NOW,
    });
    try {
      dispatcher.send(alertTo([`http://rebind.example.com:${port}/hook`], 'al-rebind'));
      await dispatcher.idle();
      expect(outcomes.map((o) => [o.status, o.lastError])).toEqual([['DELIVERED', null]]);
      expect(asked).toEqual(['rebind.example.com']);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ at: '127.0.0.1', host: `rebind.example.com:${port}` });
      expect(JSON.parse(seen[0]!.body)).toMatchObject({ type: 'assay.alert', alert: { id: 'al-rebind' } });
    } finally {
      await dispatcher.close(0);
      await new Promise((resolve) => allowed.close(resolve));
      await new Promise((resolve) => internal.close(resolve));
    }
  });
});

describe('webhook posts over https pinned to the checked address', () => {
  it("connects to the checked address, names the URL's host in SNI, and still checks the certificate", async () => {
    const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
    const servernames: string[] = [];
    const context = createSecureContext({ cert: fixture('hooks.crt'), key: fixture('hooks.key') });
    const server = createTlsServer({
      SNICallback: (servername, done) => {
        servernames.push(servername);
        done(null, context);
      },
    });
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      // hooks.example.test resolves nowhere: only the pinned address can reach the server.
      const error = await pinnedFetch(['127.0.0.1'])(`https://hooks.example.test:${port}/hook`, {
        method: 'POST',
        body: '{}',
      }).then(
        () => null,
        (e: unknown) => e as TypeError & { cause?: { code?: string } },
      );
      expect(error?.message).toBe('fetch failed');
      // The self-signed certificate is refused: the pin changes where it connects, not what it trusts.
      expect(error?.cause?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(servernames).toEqual(['hooks.example.test']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
