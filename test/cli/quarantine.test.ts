import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { INGEST, data, testApp } from '../support/app.ts';

// Two tests in quarantine: a pytest one in project api, a JUnit one in project shop; a third (api) is not.
const dir = mkdtempSync(join(tmpdir(), 'assay-quarantine-'));
const db = join(dir, 'q.duckdb');
const NOW = () => new Date('2026-11-22T00:00:00Z');
const ids: Record<string, string> = {};

beforeAll(async () => {
  const app = await testApp({ db, now: () => new Date('2026-11-21T00:00:00Z') });
  const ingest = (project: string, suite: string, className: string, names: string[]) =>
    data(app, INGEST, {
      input: {
        run: { id: `r-${project}`, project, branch: 'main', commit: 'c1', startedAt: '2026-11-20T10:00:00Z' },
        results: names.map((name) => ({ suite, className, name, status: 'FAILED', durationMs: 5 })),
      },
    });
  await ingest('api', 'tests.test_login', 'tests.test_login.TestLogin', ['test_ok', 'test_other']);
  await ingest('shop', 'com.shop', 'com.shop.CartTest', ['addsItem']);
  const tests = await data<{ tests: { edges: { node: { id: string; name: string } }[] } }>(
    app,
    '{ tests(first: 10) { edges { node { id name } } } }',
  );
  for (const e of tests.tests.edges) ids[e.node.name] = e.node.id;
  for (const name of ['test_ok', 'addsItem'])
    await data(app, 'mutation($i: QuarantineTestInput!) { quarantineTest(input: $i) { id } }', {
      i: { testId: ids[name], reason: `${name} flaps`, owner: 'alice' },
    });
  await app.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function q(...args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(['quarantine', ...args, '--db', db], (l) => lines.push(l), NOW);
  return { code, text: lines.join('\n') };
}

describe('assay quarantine list', () => {
  it('prints each format exactly', async () => {
    const api = (format: string) => q('list', '--project', 'api', '--format', format);
    const shop = (format: string) => q('list', '--project', 'shop', '--format', format);
    expect(await api('ids')).toEqual({ code: 0, text: ids['test_ok'] });
    expect((await api('names')).text).toBe('tests.test_login › tests.test_login.TestLogin › test_ok');
    expect((await api('pytest')).text).toBe("--deselect 'tests/test_login.py::TestLogin::test_ok'");
    expect((await shop('junit')).text).toBe('com.shop.CartTest#addsItem');
    expect((await shop('maven')).text).toBe("-Dtest='!com.shop.CartTest#addsItem'");
    expect((await shop('gradle')).text).toBe('com.shop.CartTest.addsItem');
    expect((await shop('jest')).text).toBe("--testNamePattern '^(?!(?:addsItem)$)'");
    expect((await api('go')).text).toBe("-skip '^(?:test_ok)$'");
    expect(JSON.parse((await shop('json')).text)).toEqual([
      {
        id: ids['addsItem'],
        project: 'shop',
        suite: 'com.shop',
        className: 'com.shop.CartTest',
        name: 'addsItem',
        source: 'MANUAL',
        ruleId: null,
        reason: 'addsItem flaps',
        owner: 'alice',
        since: '2026-11-21T00:00:00.000Z',
        expires: '2026-12-05T00:00:00.000Z',
      },
    ]);
  });

  it('lists every project’s quarantined tests in test id order, one pattern for Jest and Go', async () => {
    const both = [ids['test_ok']!, ids['addsItem']!].sort();
    expect((await q('list')).text).toBe(both.join('\n'));
    const names = both.map((id) => (id === ids['test_ok'] ? 'test_ok' : 'addsItem'));
    expect((await q('list', '--format', 'jest')).text).toBe(
      `--testNamePattern '^(?!(?:${names.join('|')})$)'`,
    );
  });

  it('adds and releases through the same gateway, and refuses a bad format or a missing owner', async () => {
    const add = await q(
      'add',
      '--test-id',
      ids['test_other']!,
      '--reason',
      'slow db',
      '--owner',
      'bob',
      '--days',
      '3',
    );
    expect(add.code).toBe(0);
    expect(add.text).toMatch(
      /^quarantined [0-9a-f]{16} tests\.test_login › .*test_other \(manual, owner bob, until 2026-11-25T00:00:00\.000Z\): slow db$/,
    );
    expect((await q('list', '--project', 'api', '--format', 'go')).text).toBe(
      `-skip '^(?:${[ids['test_ok']!, ids['test_other']!]
        .sort()
        .map((id) => (id === ids['test_ok'] ? 'test_ok' : 'test_other'))
        .join('|')})$'`,
    );
    const release = await q('release', '--test-id', ids['test_other']!, '--actor', 'bob');
    expect(release.text).toMatch(/^released /);
    expect((await q('list', '--project', 'api')).text).toBe(ids['test_ok']);
    expect((await q('list', '--format', 'xml')).code).toBe(2);
    expect((await q('add', '--test-id', ids['test_ok']!, '--reason', 'r')).code).toBe(2);
    expect((await q('bogus')).code).toBe(2);
  });

  it('assay gate prints the quarantined tests it left out', async () => {
    // api at c1: test_ok failed (quarantined), test_other failed: the pass rate counts test_other alone, 0 of 1.
    const lines: string[] = [];
    const code = await main(
      ['gate', '--project', 'api', '--commit', 'c1', '--min-pass-rate', '0', '--db', db],
      (l) => lines.push(l),
      NOW,
    );
    expect(code).toBe(0);
    expect(lines).toContain(
      '  quarantined: 1 test, 1 executions, 1 failed: left out of the checks (`assay quarantine list`).',
    );
    expect(lines.join('\n')).toMatch(/Pass rate 0\.00 % over 1 executions meets the minimum 0\.00 %/);
  });
});
