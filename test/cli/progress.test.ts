import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/cli/progress.ts';

function stream(isTTY: boolean): { s: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const s = {
    isTTY,
    columns: 200,
    write: (chunk: string) => written.push(chunk) > 0,
  } as unknown as NodeJS.WriteStream;
  return { s, written };
}

describe('progress', () => {
  it('writes a plain line every 5 seconds to a log, nothing for work that ends sooner', () => {
    let t = 0;
    const { s, written } = stream(false);
    const p = progressBar(s, () => t);
    t = 4_999;
    p.update(10, 1_000, 'storing attempts', 'items');
    expect(written).toEqual([]);
    t = 5_000;
    p.update(2_500, 10_000, 'storing attempts', 'items');
    t = 6_000;
    p.update(3_000, 10_000, 'storing attempts', 'items');
    t = 10_000;
    p.update(3 << 20, 4 << 20, 'reading a.xml');
    t = 20_000;
    p.update(10_000, 10_000, 'storing attempts', 'items');
    expect(written).toEqual([
      'storing attempts: 25 % (2,500 of 10,000)\n',
      'reading a.xml: 75 % (3.0 MB of 4.0 MB)\n',
    ]);
  });

  it('redraws one line in place on a terminal, counting items as items', () => {
    let t = 0;
    const { s, written } = stream(true);
    const p = progressBar(s, () => t);
    t = 100;
    p.update(1_200, 4_800, 'storing attempts', 'items');
    p.clear();
    expect(written).toEqual([
      `\r${'█'.repeat(6)}${'░'.repeat(18)}  25 % 1,200 / 4,800  storing attempts\x1b[K`,
      '\r\x1b[K',
    ]);
  });
});
