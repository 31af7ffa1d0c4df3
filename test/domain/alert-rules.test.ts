import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { impliedSeries, normaliseRule } from '../../src/domain/alert-rules.ts';
import type { AlertRule, AlertRuleInput } from '../../src/domain/alerts.ts';
import { AssayError } from '../../src/domain/errors.ts';

const example = JSON.parse(
  readFileSync(new URL('../../../shared/contract/examples/alert-rule.json', import.meta.url), 'utf8'),
) as { input: AlertRuleInput };
const now = new Date('2026-11-01T10:00:00Z');
const opts = { id: 'r1', now };

/** The field a refused input names, or a failure when it was accepted. */
function refusedField(input: AlertRuleInput): unknown {
  try {
    normaliseRule(input, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(AssayError);
    expect((err as AssayError).code).toBe('BAD_USER_INPUT');
    return (err as AssayError).details?.['field'];
  }
  throw new Error('the input was accepted');
}

const threshold: AlertRuleInput = {
  name: 'slow login',
  kind: 'THRESHOLD',
  series: { measure: 'DURATION', stat: 'P95' },
  operator: 'GT',
  threshold: 500,
};

describe('normaliseRule', () => {
  it("normalises the contract's example with the given values and the LT operator a pass-rate drop implies", () => {
    expect(normaliseRule(example.input, opts)).toEqual({
      id: 'r1',
      name: 'web main pass rate',
      kind: 'PASS_RATE_DROP',
      filter: { project: ['web'], branch: ['main'] },
      series: { measure: 'PASS_RATE', stat: 'AVG' },
      groupBy: [],
      operator: 'LT',
      threshold: 0.95,
      windowMinutes: 60,
      severity: 'CRITICAL',
      cooldownMinutes: 10,
      channels: [{ webhook: 'http://127.0.0.1:9911/hooks/assay', format: 'SLACK' }],
      enabled: true,
      createdAt: now,
      updatedAt: now,
    } satisfies AlertRule);
  });

  it('fills in the defaults of everything left out', () => {
    const r = normaliseRule(
      {
        name: '  nightly  ',
        kind: 'PASS_RATE_DROP',
        threshold: 0.9,
        channels: [{ webhook: 'https://hooks.example.com/a' }],
      },
      opts,
    );
    expect(r).toMatchObject({
      name: 'nightly',
      filter: {},
      groupBy: [],
      operator: 'LT',
      windowMinutes: 60,
      cooldownMinutes: 30,
      severity: 'WARNING',
      enabled: true,
      channels: [{ webhook: 'https://hooks.example.com/a', format: 'JSON' }],
    });
    expect(normaliseRule({ ...threshold, series: { metric: ' latency_ms ' } }, opts).series).toEqual({
      metric: 'latency_ms',
      stat: 'AVG',
    });
  });

  it('gives each implied kind its operator and series, and ignores a series it does not take', () => {
    const drop = normaliseRule(
      { name: 'd', kind: 'DURATION_REGRESSION', threshold: 20, series: { metric: 'x' } },
      opts,
    );
    expect([drop.operator, drop.series]).toEqual(['GTE', { measure: 'DURATION', stat: 'P95' }]);
    const flaky = normaliseRule({ name: 'f', kind: 'FLAKY_TEST', threshold: 0.3 }, opts);
    expect([flaky.operator, flaky.series, flaky.groupBy]).toEqual(['GTE', null, ['TEST']]);
    const anomaly = normaliseRule(
      { name: 'a', kind: 'ANOMALY', threshold: 4, series: { measure: 'FAIL_RATE' }, operator: 'GT' },
      opts,
    );
    expect([anomaly.operator, anomaly.series]).toEqual(['GT', { measure: 'FAIL_RATE', stat: 'AVG' }]);
    expect(impliedSeries(anomaly)).toEqual({ measure: 'FAIL_RATE', stat: 'AVG' });
    expect(impliedSeries({ kind: 'PASS_RATE_DROP' })).toEqual({ measure: 'PASS_RATE', stat: 'AVG' });
  });

  it('drops the operator and threshold of NEW_FAILURE and always evaluates it per test, once', () => {
    const r = normaliseRule(
      { name: 'n', kind: 'NEW_FAILURE', operator: 'GT', threshold: 3, groupBy: ['BRANCH', 'TEST', 'BRANCH'] },
      opts,
    );
    expect([r.operator, r.threshold, r.series, r.groupBy]).toEqual([null, null, null, ['BRANCH', 'TEST']]);
  });

  it('keeps the creation time of the rule an update replaces', () => {
    const first = normaliseRule(threshold, opts);
    const later = new Date('2026-11-02T10:00:00Z');
    const updated = normaliseRule(
      { ...threshold, threshold: 800 },
      { id: 'r1', now: later, previous: first },
    );
    expect([updated.createdAt, updated.updatedAt, updated.threshold]).toEqual([now, later, 800]);
  });

  it.each([
    ['an empty name', { ...threshold, name: '  ' }, 'input.name'],
    ['a name over 200 characters', { ...threshold, name: 'x'.repeat(201) }, 'input.name'],
    ['an unknown kind', { ...threshold, kind: 'SOMETIMES' as never }, 'input.kind'],
    ['a THRESHOLD rule without a series', { ...threshold, series: null }, 'input.series'],
    [
      'a series with both measure and metric',
      { ...threshold, series: { measure: 'DURATION', metric: 'm' } },
      'input.series',
    ],
    [
      'an ANOMALY rule with an empty metric',
      { name: 'a', kind: 'ANOMALY', threshold: 4, series: { metric: ' ' } },
      'input.series',
    ],
    [
      'an unknown stat',
      { ...threshold, series: { measure: 'DURATION', stat: 'P42' as never } },
      'input.series.stat',
    ],
    ['a THRESHOLD rule without an operator', { ...threshold, operator: null }, 'input.operator'],
    ['a pass-rate drop compared upwards', { ...example.input, operator: 'GT' }, 'input.operator'],
    ['a THRESHOLD rule without a threshold', { ...threshold, threshold: null }, 'input.threshold'],
    ['an infinite threshold', { ...threshold, threshold: Number.POSITIVE_INFINITY }, 'input.threshold'],
    ['a NaN threshold', { ...threshold, threshold: Number.NaN }, 'input.threshold'],
    ['a pass rate above 1', { ...example.input, threshold: 95 }, 'input.threshold'],
    ['a flakiness score below 0', { name: 'f', kind: 'FLAKY_TEST', threshold: -0.1 }, 'input.threshold'],
    [
      'a duration regression of 0 %',
      { name: 'd', kind: 'DURATION_REGRESSION', threshold: 0 },
      'input.threshold',
    ],
    [
      'an anomaly score of −1',
      { name: 'a', kind: 'ANOMALY', series: { measure: 'DURATION' }, threshold: -1 },
      'input.threshold',
    ],
    ['a window of 0 minutes', { ...threshold, windowMinutes: 0 }, 'input.windowMinutes'],
    ['a window over a week', { ...threshold, windowMinutes: 10_081 }, 'input.windowMinutes'],
    ['a fractional window', { ...threshold, windowMinutes: 1.5 }, 'input.windowMinutes'],
    ['a negative cooldown', { ...threshold, cooldownMinutes: -1 }, 'input.cooldownMinutes'],
    ['an unknown severity', { ...threshold, severity: 'PANIC' as never }, 'input.severity'],
    [
      'eleven channels',
      {
        ...threshold,
        channels: Array.from({ length: 11 }, (_, i) => ({ webhook: `https://h.example.com/${i}` })),
      },
      'input.channels',
    ],
    [
      'a relative webhook',
      { ...threshold, channels: [{ webhook: '/hooks/assay' }] },
      'input.channels[0].webhook',
    ],
    [
      'a non-http webhook',
      {
        ...threshold,
        channels: [{ webhook: 'https://ok.example.com' }, { webhook: 'ftp://h.example.com/x' }],
      },
      'input.channels[1].webhook',
    ],
    [
      'a webhook with credentials',
      {
        ...threshold,
        channels: [
          { webhook: 'https://ok.example.com/a' },
          { webhook: 'https://user:secret@h.example.com/x' },
        ],
      },
      'input.channels[1].webhook',
    ],
    [
      'a webhook with a user name only',
      { ...threshold, channels: [{ webhook: 'https://user@h.example.com/x' }] },
      'input.channels[0].webhook',
    ],
    [
      'a webhook listed twice',
      {
        ...threshold,
        channels: [
          { webhook: 'https://h.example.com/x' },
          { webhook: 'https://h.example.com/x', format: 'SLACK' },
        ],
      },
      'input.channels[1].webhook',
    ],
    [
      'an unknown group dimension',
      { ...threshold, groupBy: ['TEST', 'PLANET' as never] },
      'input.groupBy[1]',
    ],
    [
      'a filter whose from is not before its to',
      { ...threshold, filter: { from: now, to: now } },
      'input.filter.from',
    ],
  ] satisfies [string, AlertRuleInput, string][])('refuses %s and names the field', (_, input, field) => {
    expect(refusedField(input)).toBe(field);
  });

  it('says how to fix a refused threshold', () => {
    expect(() => normaliseRule({ ...example.input, threshold: 95 }, opts)).toThrow(
      /0 … 1, e\.g\. 0\.95; got 95/,
    );
  });
});
