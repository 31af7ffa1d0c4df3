import './styles.css';
import { gql, liveClient, onKeyProblem, subscribe } from './api.ts';
import { h, replace } from './dom.ts';
import {
  DashFacetsDocument,
  DashLiveAlertsDocument,
  DashLiveIngestDocument,
  type DashFacetsQuery,
} from './generated/graphql.ts';
import { keyPrompt } from './key.ts';
import { throttledRefresh } from './live.ts';
import { errorBox } from './panel.ts';
import { RANGES, href, parseRoute, touches, type Filters, type Route } from './state.ts';
import type { Ctx, View } from './view.ts';
import { alertsView } from './views/alerts.ts';
import { compareView } from './views/compare.ts';
import { farmView } from './views/farm.ts';
import { failuresView } from './views/failures.ts';
import { flaky } from './views/flaky.ts';
import { overview } from './views/overview.ts';
import { testView } from './views/test.ts';

const VIEWS: Readonly<Record<string, { title: string; make: (ctx: Ctx) => View; nav: boolean }>> = {
  overview: { title: 'Overview', make: overview, nav: true },
  flaky: { title: 'Flaky tests', make: flaky, nav: true },
  failures: { title: 'Failures', make: failuresView, nav: true },
  compare: { title: 'Compare', make: compareView, nav: true },
  farm: { title: 'Farm', make: farmView, nav: true },
  alerts: { title: 'Alerts', make: alertsView, nav: true },
  test: { title: 'Test', make: testView, nav: false },
};

const now = (): number => Date.now();
const liveDot = h('span.live-dot', { title: 'live updates' });
const updated = h('span.updated', { 'data-updated': '' });
const alertCount = h('span.count', { hidden: true });
const toasts = h('div.toasts', { 'aria-live': 'polite' });
const nav = h('nav.views');
const filterBar = h('form.filters', { role: 'search' });
const main = h('main');
let facets: DashFacetsQuery | null = null;
let current: { view: View; route: Route; live: { request: () => void; cancel: () => void } } | null = null;
let unseen = 0;
let refreshes = 0;

const key = keyPrompt();
onKeyProblem((message) => key.show(message));
const live = liveClient((connected) => liveDot.classList.toggle('on', connected));

document.body.append(
  h(
    'header.top',
    {},
    h('a.brand', { href: '#/' }, h('span.logo', {}, '◆'), ' Assay'),
    nav,
    h('div.status', {}, key.toggle, liveDot, updated),
  ),
  key.el,
  filterBar,
  main,
  toasts,
);

function mount(): void {
  const route = parseRoute(location.hash);
  const spec = VIEWS[route.view] ?? VIEWS['overview']!;
  current?.live.cancel();
  current?.view.dispose?.();
  if (route.view === 'alerts') {
    unseen = 0;
    paintCount();
  }
  paintNav(route);
  paintFilters(route);
  document.title = `${spec.title} · Assay`;
  document.body.dataset['view'] = route.view;
  document.body.dataset['ready'] = 'false';
  const view = spec.make({ route, now, live });
  replace(main, view.el);
  const refresh = async (): Promise<void> => {
    await view.refresh();
    refreshes++;
    document.body.dataset['refreshes'] = String(refreshes);
  };
  const throttle = throttledRefresh(async () => {
    await refresh();
    markUpdated();
  });
  current = { view, route, live: throttle };
  void refresh().then(() => {
    document.body.dataset['ready'] = 'true';
  });
}

function paintNav(route: Route): void {
  replace(
    nav,
    Object.entries(VIEWS)
      .filter(([, v]) => v.nav)
      .map(([key, v]) =>
        h(
          'a',
          {
            href: href(route.filters, key),
            class: key === route.view || (key === 'flaky' && route.view === 'test') ? 'active' : '',
          },
          v.title,
          key === 'alerts' ? alertCount : null,
        ),
      ),
  );
}

function paintFilters(route: Route): void {
  const f = route.filters;
  const projects = facets?.projects.map((p) => p.group.project).filter((p): p is string => !!p) ?? [];
  const branches = [
    ...new Set(
      facets?.branches
        .filter((b) => !f.project || b.group.project === f.project)
        .map((b) => b.group.branch)
        .filter((b): b is string => !!b) ?? [],
    ),
  ];
  const go = (patch: Partial<Filters>): void => {
    const next = { ...f, ...patch, ...('project' in patch && { branch: '' }) };
    const extra: Record<string, string> = {};
    route.params.forEach((v, k) => {
      if (!['project', 'branch', 'range', 'q'].includes(k)) extra[k] = v;
    });
    location.hash = href(next, route.view, route.arg, extra);
  };
  const sel = (name: keyof Filters, label: string, options: readonly [string, string][]): HTMLElement =>
    h(
      'label',
      {},
      h('span', {}, label),
      h(
        'select',
        { name, onchange: (e: Event) => go({ [name]: (e.target as HTMLSelectElement).value }) },
        options.map(([value, text]) => h('option', { value, selected: value === f[name] }, text)),
      ),
    );
  const search = h('input', { type: 'search', name: 'q', value: f.q, placeholder: 'Test name contains…' });
  replace(
    filterBar,
    sel('project', 'Project', [
      ['', 'All projects'],
      ...projects.map((p): [string, string] => [p, p]),
      ...(f.project && !projects.includes(f.project) ? [[f.project, f.project] as [string, string]] : []),
    ]),
    sel('branch', 'Branch', [
      ['', 'All branches'],
      ...branches.map((b): [string, string] => [b, b]),
      ...(f.branch && !branches.includes(f.branch) ? [[f.branch, f.branch] as [string, string]] : []),
    ]),
    sel(
      'range',
      'Range',
      Object.entries(RANGES).map(([k, r]): [string, string] => [k, r.label]),
    ),
    h('label.search', {}, h('span', {}, 'Search'), search),
  );
  filterBar.onsubmit = (e) => {
    e.preventDefault();
    go({ q: search.value.trim() });
  };
  search.onchange = () => go({ q: search.value.trim() });
}

function markUpdated(): void {
  updated.textContent = `updated ${new Date(now()).toISOString().slice(11, 19)} UTC`;
  updated.classList.remove('flash');
  void updated.offsetWidth; // restart the animation
  updated.classList.add('flash');
}

function paintCount(): void {
  alertCount.hidden = unseen === 0;
  alertCount.textContent = String(unseen);
}

function toast(text: string, link: string): void {
  const t = h('a.toast', { href: link, onclick: () => t.remove() }, text);
  toasts.append(t);
  setTimeout(() => t.remove(), 8000);
}

subscribe(live, DashLiveIngestDocument, {}, ({ ingested }) => {
  if (!current) return;
  const concerns = current.view.touches
    ? current.view.touches(ingested.run)
    : touches(current.route.filters, ingested.run, now());
  if (concerns) current.live.request();
});

subscribe(live, DashLiveAlertsDocument, {}, ({ alerts: a }) => {
  current?.view.onAlert?.(a);
  if (current?.route.view !== 'alerts') {
    unseen++;
    paintCount();
    toast(
      `${a.severity.toLowerCase()}: ${a.message}`,
      href(current?.route.filters ?? parseRoute('').filters, 'alerts'),
    );
  }
});

window.addEventListener('hashchange', mount);
mount();
gql(DashFacetsDocument, { from: new Date(Math.floor(now() / 86_400_000 - 90) * 86_400_000).toISOString() })
  .then((r) => {
    facets = r;
    if (current) paintFilters(current.route);
  })
  .catch((error: unknown) => main.prepend(errorBox(error)));
