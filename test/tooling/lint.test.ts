import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// The project's own eslint.config.js, with type information, on a real source path
// (the snippet stands in for that file's text).
const FILE = 'src/alerts/retry.ts';
const save = `async function save(row: string): Promise<void> {
  await Promise.resolve(row);
}
`;

describe('the type-aware linter', () => {
  const eslint = new ESLint({ cwd: ROOT });

  it('refuses a promise nobody awaits, and accepts it awaited', async () => {
    const dropped = `${save}export function onRow(row: string): void {
  save(row);
}
`;
    const awaited = `${save}export async function onRow(row: string): Promise<void> {
  await save(row);
}
`;
    const [bad] = await eslint.lintText(dropped, { filePath: FILE });
    expect(bad!.messages.map((m) => [m.ruleId, m.severity, m.line])).toEqual([
      ['@typescript-eslint/no-floating-promises', 2, 5],
    ]);
    const [good] = await eslint.lintText(awaited, { filePath: FILE });
    expect(good!.messages).toEqual([]);
  });
});
