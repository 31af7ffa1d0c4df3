import { gql } from '../api.ts';
import { h, ago, when, replace } from '../dom.ts';
import {
  DashAcknowledgeDocument,
  DashAlertsDocument,
  DashResolveDocument,
  type AlertRowFragment,
} from '../generated/graphql.ts';
import { empty, errorBox, panel } from '../panel.ts';
import { href } from '../state.ts';
import { type Ctx, type View } from '../view.ts';
import { alertGroup, badge, num } from './common.ts';
import { rulesPanel } from './rules.ts';

/** Alerts: the live list (the `alerts` subscription prepends new ones), acknowledge and resolve, and the rules. */
export function alertsView(ctx: Ctx): View {
  const f = ctx.route.filters;
  const state = ctx.route.params.get('state') ?? 'open';
  let list: HTMLElement | null = null;
  const shown = new Set<string>();
  // What this page did to an alert, and the row now showing it: a refresh fetched just before an
  // acknowledge can redraw the list after it, and must not show that alert open again.
  const acted = new Map<string, { ack: string | null; resolved: string | null }>();
  const painters = new Map<string, (ack: string | null, resolved: string | null) => void>();

  const tabs = h(
    'nav.tabs',
    {},
    (['open', 'all'] as const).map((s) =>
      h(
        'a',
        { href: href(f, 'alerts', '', { state: s === 'open' ? '' : s }), class: s === state ? 'active' : '' },
        s === 'open' ? 'Open' : 'All',
      ),
    ),
  );

  const alerts = panel(
    'Alerts',
    async (body) => {
      const { alerts: a } = await gql(DashAlertsDocument, {
        filter: { ...(state === 'open' && { resolved: false }), ...(f.project && { project: [f.project] }) },
        first: 100,
      });
      shown.clear();
      list = h('div.alert-rows', { 'data-live': 'alerts' });
      for (const e of a.edges) list.append(row(e.node, false));
      body.append(
        h(
          'p.muted.small',
          {},
          `${num(a.totalCount)} ${state === 'open' ? 'open' : ''} alert${a.totalCount === 1 ? '' : 's'}; new ones appear here as they fire.`,
        ),
        list,
      );
      if (!a.edges.length) list.append(empty('No alerts yet.'));
    },
    { wide: true, id: 'alerts', tools: tabs },
  );

  const rules = rulesPanel();

  const rows: Rows = { filters: f, now: ctx.now, shown, acted, painters };
  const row = (a: AlertRowFragment, fresh: boolean): HTMLElement => alertRow(rows, a, fresh);

  const el = h('div.grid', {}, alerts.el, rules.el);
  return {
    el,
    async refresh() {
      await Promise.all([alerts.refresh(), rules.refresh()]);
    },
    onAlert(a) {
      if (!list || shown.has(a.id) || (f.project && a.group.project !== f.project)) return;
      list.querySelector('.empty')?.remove();
      list.prepend(row(a, true));
    },
  };
}

const fmt = (v: number): string => (Math.abs(v) < 10 ? v.toPrecision(3) : num(v, 1));

/** What the rows of one Alerts page share: the filters, the clock, and what the page showed and did. */
interface Rows {
  readonly filters: Ctx['route']['filters'];
  readonly now: Ctx['now'];
  readonly shown: Set<string>;
  readonly acted: Map<string, { ack: string | null; resolved: string | null }>;
  readonly painters: Map<string, (ack: string | null, resolved: string | null) => void>;
}

/** One alert: what fired and why, its state, and the acknowledge and resolve buttons. */
function alertRow(rows: Rows, a: AlertRowFragment, fresh: boolean): HTMLElement {
  const { acted, painters } = rows;
  rows.shown.add(a.id);
  const status = h('span.alert-state');
  const actions = h('span.actions');
  const el = h(
    'article.alert-row',
    { 'data-alert-id': a.id, class: `${fresh ? 'fresh' : ''} sev-${a.severity.toLowerCase()}` },
    alertMain(a, rows),
    h('div.alert-side', {}, status, actions),
  );
  const paint = (ackAt: string | null, resolvedAt: string | null): void => {
    replace(
      status,
      resolvedAt
        ? badge('RESOLVED', 'b-resolved')
        : ackAt
          ? badge('ACKNOWLEDGED', 'b-ack')
          : badge('OPEN', 'b-open'),
    );
    replace(
      actions,
      !ackAt && !resolvedAt
        ? h('button', { type: 'button', 'data-action': 'ack', onclick: () => void act('ack') }, 'Acknowledge')
        : null,
      !resolvedAt
        ? h(
            'button.secondary',
            { type: 'button', 'data-action': 'resolve', onclick: () => void act('resolve') },
            'Resolve',
          )
        : null,
    );
    el.dataset['state'] = resolvedAt ? 'resolved' : ackAt ? 'acknowledged' : 'open';
  };
  let ack = a.acknowledgedAt ?? acted.get(a.id)?.ack ?? null;
  let resolved = a.resolvedAt ?? acted.get(a.id)?.resolved ?? null;
  const act = async (what: 'ack' | 'resolve'): Promise<void> => {
    for (const b of actions.querySelectorAll('button')) b.disabled = true;
    try {
      if (what === 'ack')
        ack = (await gql(DashAcknowledgeDocument, { id: a.id })).acknowledgeAlert.acknowledgedAt;
      else resolved = (await gql(DashResolveDocument, { id: a.id })).resolveAlert.resolvedAt;
      acted.set(a.id, { ack, resolved });
      // The row on the page now, which a refresh may have drawn anew since this one was clicked.
      (painters.get(a.id) ?? paint)(ack, resolved);
    } catch (error) {
      actions.append(errorBox(error));
    }
  };
  painters.set(a.id, (ackAt, resolvedAt) => {
    ack = ackAt;
    resolved = resolvedAt;
    paint(ackAt, resolvedAt);
  });
  paint(ack, resolved);
  return el;
}

/** The alert's severity, kind, rule and age, its message, and its group, value and threshold. */
function alertMain(a: AlertRowFragment, rows: Rows): HTMLElement {
  return h(
    'div.alert-main',
    {},
    h(
      'div',
      {},
      badge(a.severity),
      ' ',
      badge(a.kind, 'b-kind'),
      ' ',
      h('strong', {}, a.rule.name),
      ' ',
      h('span.muted', { title: when(a.firedAt) }, ago(a.firedAt, rows.now())),
    ),
    h('div.alert-message', {}, a.message),
    h(
      'div.muted.small',
      {},
      alertGroup(a, rows.filters),
      a.value !== null ? ` · value ${fmt(a.value)}` : null,
      a.threshold !== null ? ` · threshold ${fmt(a.threshold)}` : null,
    ),
  );
}
