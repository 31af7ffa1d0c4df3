import { h, pct, ms, num, statusClass, ago, type Child } from '../dom.ts';
import type { AlertRowFragment } from '../generated/graphql.ts';
import { href, type Filters } from '../state.ts';

export const COLORS = {
  pass: '#16a34a',
  fail: '#dc2626',
  flaky: '#d97706',
  line: '#2563eb',
  p95: '#7c3aed',
  forecast: '#0891b2',
  muted: '#94a3b8',
} as const;

export const kpi = (label: string, value: string, note?: Child, cls = ''): HTMLElement =>
  h(
    'div.kpi',
    { class: cls },
    h('div.kpi-label', {}, label),
    h('div.kpi-value', {}, value),
    note ? h('div.kpi-note', {}, note) : null,
  );

export const testLink = (f: Filters, t: { id: string; name: string }, extra?: Child): HTMLElement =>
  h('a.test-link', { href: href(f, 'test', t.id), 'data-test-id': t.id }, t.name, extra);

export const badge = (text: string, cls = ''): HTMLElement =>
  h('span.badge', { class: cls || `b-${text.toLowerCase()}` }, text.replace(/_/g, ' '));

export function table(head: readonly Child[], rows: readonly (readonly Child[])[], cls = ''): HTMLElement {
  return h(
    'div.table-wrap',
    {},
    h(
      'table',
      { class: cls },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map((c) => h('th', {}, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            r.map((c) => h('td', {}, c)),
          ),
        ),
      ),
    ),
  );
}

/** A strip of attempts, oldest first: one cell per attempt, retries drawn smaller. */
export function strip(
  attempts: readonly { status: string; attempt: number; startedAt?: string }[],
): HTMLElement {
  return h(
    'span.strip',
    { 'aria-label': 'recent attempts, oldest first' },
    attempts.map((a) =>
      h('i', {
        class: `${statusClass(a.status)}${a.attempt > 1 ? ' retry' : ''}`,
        title: `${a.status}${a.attempt > 1 ? ` (attempt ${a.attempt})` : ''}${a.startedAt ? ` ${a.startedAt}` : ''}`,
      }),
    ),
  );
}

export function alertGroup(a: AlertRowFragment, f: Filters): Child[] {
  const g = a.group;
  return [
    g.project,
    g.branch && `/${g.branch}`,
    g.test ? [' · ', testLink(f, g.test)] : null,
    g.suite && ` · ${g.suite}`,
    g.worker && ` · ${g.worker}`,
    g.hardware && ` · ${g.hardware}`,
    g.run ? ` · run ${g.run.id}` : null,
  ];
}

export function alertSummary(a: AlertRowFragment, f: Filters, now: number): HTMLElement {
  return h(
    'div.alert-line',
    { 'data-alert-id': a.id },
    badge(a.severity),
    ' ',
    h('strong', {}, a.rule.name),
    ' ',
    h('span.muted', {}, ago(a.firedAt, now)),
    h('div', {}, a.message),
    h('div.muted.small', {}, alertGroup(a, f)),
  );
}

export { pct, ms, num };
