import { describe, expect, it } from 'vitest';
import { duration, firstLine, pct, sliceLabel, testLabel } from '../../src/report/format.ts';
import { sparkline } from '../../src/report/markdown.ts';
import { barChart, escapeXml, lineChart } from '../../src/report/svg.ts';

describe('report formats', () => {
  it('writes durations, rates and first lines as a reader expects', () => {
    expect([duration(850.4), duration(1234), duration(125_000), duration(null)]).toEqual([
      '850 ms',
      '1.23 s',
      '2 min 5 s',
      '–',
    ]);
    expect([pct(0.98765), pct(null)]).toEqual(['98.77 %', '–']);
    expect(firstLine('  expected 200\n  at x()')).toBe('expected 200');
    expect(firstLine('x'.repeat(10), 5)).toBe('xxxx…');
    expect(testLabel({ suite: 'com.acme.CartTest', className: 'com.acme.CartTest', name: 'adds' })).toBe(
      'com.acme.CartTest › adds',
    );
    expect(testLabel({ suite: 'auth', className: 'LoginTest', name: 'logs in' })).toBe(
      'auth › LoginTest › logs in',
    );
    expect(sliceLabel({ project: ['web'], branch: ['main'], commit: ['0123456789abcdef'] })).toBe(
      'web · main · 0123456789ab',
    );
  });

  it('draws a sparkline from lowest to highest bar', () => {
    expect(sparkline([0, 0.5, 1])).toBe('▁▅█');
    expect(sparkline([3, 3])).toBe('██');
    expect(sparkline([])).toBe('');
  });

  it('draws SVG with escaped labels and nothing for too few points', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(lineChart([{ t: new Date(0), value: 1 }], String)).toBe('');
    const svg = lineChart(
      [
        { t: new Date('2026-11-01'), value: 0.5 },
        { t: new Date('2026-11-02'), value: 1 },
      ],
      String,
      [new Date('2026-11-02')],
    );
    expect(svg.match(/<circle/g)).toHaveLength(2);
    expect(svg).toContain('class="mark"');
    expect(
      barChart(
        [
          { label: '<t>', value: 2 },
          { label: 'u', value: 1 },
        ],
        String,
      ),
    ).toContain('&lt;t&gt;');
  });

  it('draws a day that stands on few executions smaller and fainter, with the count in its title', () => {
    const svg = lineChart(
      [
        { t: new Date('2026-11-01'), value: 1, executions: 300 },
        { t: new Date('2026-11-02'), value: 0.5, executions: 75 },
        { t: new Date('2026-11-03'), value: 0, executions: 1 },
      ],
      String,
    );
    const circles = [
      ...svg.matchAll(/<circle [^>]*r="([\d.]+)"(?: fill-opacity="([\d.]+)")?><title>([^<]*)<\/title>/g),
    ].map((m) => [m[1], m[2] ?? '1', m[3]]);
    // r = 1 + 2.5·√(n / 300), opacity = 0.25 + 0.75·n / 300: 300 → 3.5, 1; 75 → 1 + 2.5·0.5 = 2.25, 0.4375; 1 → 1.144, 0.2525.
    expect(circles).toEqual([
      ['3.50', '1', '2026-11-01: 1 over 300 executions'],
      ['2.25', '0.44', '2026-11-02: 0.5 over 75 executions'],
      ['1.14', '0.25', '2026-11-03: 0 over 1 execution'],
    ]);
  });
});
