import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { EXIT } from '../../src/cli/exit.ts';
import { TEST_NOW, testApp } from '../support/app.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-keys-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; lines: string[]; stderr: string }> {
  const lines: string[] = [];
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(
      args,
      (l) => lines.push(l),
      () => TEST_NOW,
    );
    return { code, lines, stderr };
  } finally {
    spy.mockRestore();
  }
}

describe('assay keys', () => {
  const db = join(dir, 'team.duckdb');

  it('creates a key (printing its secret once), lists it without the secret, and revokes it', async () => {
    const made = await run([
      'keys',
      'create',
      '--scope',
      'ingest',
      '--project',
      'web',
      '--project',
      'api',
      '--name',
      'ci',
      '--db',
      db,
    ]);
    expect(made.code).toBe(EXIT.OK);
    const secret = made.lines.at(-1)!;
    expect(secret).toMatch(/^assay_[0-9a-f]{12}_[\w-]{43}$/);
    const id = /^Created key ([0-9a-f]{12}) \(ci\): scope ingest, projects web, api\.$/.exec(
      made.lines[0]!,
    )?.[1];
    expect(id).toBeDefined();
    const listed = await run(['keys', 'list', '--db', db]);
    expect(listed.lines).toEqual([`${id}  ingest  web,api           ${TEST_NOW.toISOString()}  active  ci`]);
    expect(listed.lines.join('\n')).not.toContain(secret);

    // The server started on that file accepts the key.
    const app = await testApp({ db, auth: true });
    try {
      expect(app.keys.authenticate(secret).key.projects).toEqual(['web', 'api']);
    } finally {
      await app.close();
    }
    expect((await run(['keys', 'revoke', id!, '--db', db])).code).toBe(EXIT.OK);
    expect((await run(['keys', 'list', '--db', db])).lines[0]).toContain(`revoked ${TEST_NOW.toISOString()}`);
    const again = await run(['keys', 'revoke', id!, '--db', db]);
    expect(again.code).toBe(EXIT.USAGE);
    expect(again.stderr).toContain('keys list');
  });

  it('refuses a bad scope, a missing action or id, and a missing database', async () => {
    expect((await run(['keys', 'create', '--scope', 'write', '--db', db])).code).toBe(EXIT.USAGE);
    expect((await run(['keys', '--db', db])).code).toBe(EXIT.USAGE);
    expect((await run(['keys', 'revoke', '--db', db])).code).toBe(EXIT.USAGE);
    expect((await run(['keys', 'list', '--db', join(dir, 'none.duckdb')])).code).toBe(EXIT.UNAVAILABLE);
  });

  it('assay serve refuses a non-loopback host, or --auth, without a key, unless --insecure', async () => {
    const empty = join(dir, 'empty.duckdb');
    const exposed = await run(['serve', '--host', '0.0.0.0', '--port', '0', '--db', empty, '--no-dashboard']);
    expect(exposed.code).toBe(EXIT.USAGE);
    expect(exposed.stderr).toContain('--host 0.0.0.0 is not loopback');
    expect(exposed.stderr).toContain('assay keys create --scope admin');
    const asked = await run(['serve', '--auth', '--port', '0', '--db', empty, '--no-dashboard']);
    expect(asked.code).toBe(EXIT.USAGE);
    expect(asked.stderr).toContain('--auth');
    expect((await run(['serve', '--auth', '--insecure', '--db', empty])).code).toBe(EXIT.USAGE);
    expect((await run(['serve', '--cors-origin', 'https://a.example/path', '--db', empty])).code).toBe(
      EXIT.USAGE,
    );
    const rate = await run(['serve', '--rate-limit', '10/minute', '--db', empty]);
    expect(rate.code).toBe(EXIT.USAGE);
    expect(rate.stderr).toContain('N/s');
  });
});
