import { gql } from '../api.ts';
import { h, replace } from '../dom.ts';
import {
  DashCreateRuleDocument,
  DashDeleteRuleDocument,
  DashRulesDocument,
  DashUpdateRuleDocument,
  type AlertKind,
  type AlertRuleInput,
  type ComparisonOperator,
  type Dimension,
  type ResultFilter,
  type RuleRowFragment,
  type SeriesMeasure,
  type Severity,
  type Stat,
} from '../generated/graphql.ts';
import { editing as beingEdited, empty, errorBox, panel, type Panel } from '../panel.ts';
import { badge, table } from './common.ts';

const KINDS: readonly AlertKind[] = [
  'THRESHOLD',
  'PASS_RATE_DROP',
  'NEW_FAILURE',
  'FLAKY_TEST',
  'DURATION_REGRESSION',
  'ANOMALY',
];
const SEVERITIES: readonly Severity[] = ['CRITICAL', 'WARNING', 'INFO'];
const MEASURES: readonly SeriesMeasure[] = ['PASS_RATE', 'FAIL_RATE', 'FLAKY_RATE', 'EXECUTIONS', 'DURATION'];
const STATS: readonly Stat[] = ['AVG', 'P50', 'P95', 'P99', 'MAX'];
const OPERATORS: readonly ComparisonOperator[] = ['GT', 'GTE', 'LT', 'LTE'];
const GROUPS: readonly Dimension[] = ['PROJECT', 'BRANCH', 'SUITE', 'TEST', 'RUN', 'WORKER', 'HARDWARE'];

const select = (name: string, options: readonly string[], value = '', blank = ''): HTMLSelectElement =>
  h(
    'select',
    { name },
    blank ? h('option', { value: '' }, blank) : null,
    options.map((o) => h('option', { value: o, selected: o === value }, o.replace(/_/g, ' ').toLowerCase())),
  );

const field = (label: string, input: HTMLElement, hint = ''): HTMLElement =>
  h('label.field', {}, h('span', {}, label), input, hint ? h('small.muted', {}, hint) : null);

/** Rules: the list (enable/disable, edit, delete) and a form whose errors are the API's own messages. */
export function rulesPanel(): Panel {
  let editing: RuleRowFragment | null = null;
  let rules: readonly RuleRowFragment[] = [];
  const listBox = h('div');
  const formBox = h('div');
  let reload: () => Promise<void> = async () => undefined;

  const p = panel(
    'Alert rules',
    async (body) => {
      rules = (await gql(DashRulesDocument, {})).alertRules;
      paintList();
      // A refresh that began before someone started typing must not repaint the form under them.
      if (!beingEdited(formBox)) paintForm();
      body.append(listBox, formBox);
    },
    { wide: true, id: 'rules' },
  );
  reload = () => p.refresh();

  function paintList(): void {
    if (!rules.length) return replace(listBox, empty('No rules yet: create one below.'));
    replace(
      listBox,
      ruleTable(rules, {
        edit: (r) => {
          editing = r;
          paintForm();
          formBox.scrollIntoView({ block: 'nearest' });
        },
        toggle: (r) => void save(r.id, { ...inputOf(r), enabled: !r.enabled }, listBox),
        remove: (r) => void remove(r),
      }),
    );
  }

  function paintForm(): void {
    const r = editing;
    const form = ruleForm(r, () => {
      editing = null;
      paintForm();
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void save(r?.id ?? null, readForm(form, r), form.querySelector<HTMLElement>('.form-errors')!);
    });
    replace(formBox, form);
  }

  async function save(id: string | null, input: AlertRuleInput, errors: HTMLElement): Promise<void> {
    try {
      if (id) await gql(DashUpdateRuleDocument, { id, input });
      else await gql(DashCreateRuleDocument, { input });
      editing = null;
      paintForm();
      await reload();
    } catch (error) {
      errors.querySelector('.error')?.remove();
      errors.append(errorBox(error));
    }
  }

  async function remove(r: RuleRowFragment): Promise<void> {
    if (!confirm(`Delete the rule “${r.name}”? Its past alerts stay.`)) return;
    try {
      await gql(DashDeleteRuleDocument, { id: r.id });
      await reload();
    } catch (error) {
      listBox.append(errorBox(error));
    }
  }

  return p;
}

type RuleAction = (r: RuleRowFragment) => void;

/** The rules, each with its edit, enable/disable and delete buttons. */
function ruleTable(
  rules: readonly RuleRowFragment[],
  act: { edit: RuleAction; toggle: RuleAction; remove: RuleAction },
): HTMLElement {
  return table(
    ['Rule', 'Kind', 'Severity', 'When', 'Enabled', ''],
    rules.map((r) => [
      h('strong', {}, r.name),
      badge(r.kind, 'b-kind'),
      badge(r.severity),
      h('span.small', {}, describe(r)),
      h('span', { 'data-enabled': String(r.enabled) }, r.enabled ? 'yes' : 'no'),
      h(
        'span.actions',
        {},
        h(
          'button.secondary',
          {
            type: 'button',
            onclick: () => act.edit(r),
          },
          'Edit',
        ),
        h(
          'button.secondary',
          {
            type: 'button',
            'data-action': 'toggle',
            onclick: () => act.toggle(r),
          },
          r.enabled ? 'Disable' : 'Enable',
        ),
        h('button.danger', { type: 'button', onclick: () => act.remove(r) }, 'Delete'),
      ),
    ]),
    'rules-table',
  );
}

/** The form for a new rule, or for editing `r` (then with a Cancel button). */
function ruleForm(r: RuleRowFragment | null, onCancel: () => void): HTMLFormElement {
  return h(
    'form.rule-form',
    { 'data-form': 'rule', novalidate: true },
    h('h3', {}, r ? `Edit “${r.name}”` : 'New rule'),
    h(
      'div.fields',
      {},
      field('Name', h('input', { name: 'name', value: r?.name ?? '', placeholder: 'e.g. web main failing' })),
      field('Kind', select('kind', KINDS, r?.kind ?? 'THRESHOLD')),
      field('Severity', select('severity', SEVERITIES, r?.severity ?? 'WARNING')),
      field(
        'Series',
        select('measure', MEASURES, r?.series?.measure ?? '', '(implied by kind)'),
        'THRESHOLD and ANOMALY',
      ),
      field('Statistic', select('stat', STATS, r?.series?.stat ?? 'AVG'), 'for durations'),
      field('Operator', select('operator', OPERATORS, r?.operator ?? '', '(implied by kind)'), 'THRESHOLD'),
      field(
        'Threshold',
        h('input', { name: 'threshold', inputmode: 'decimal', value: r?.threshold ?? '' }),
        'rates 0 … 1, ms, % or sensitivity',
      ),
      field(
        'Window (min)',
        h('input', { name: 'windowMinutes', inputmode: 'numeric', value: r?.windowMinutes ?? 60 }),
      ),
      field(
        'Cooldown (min)',
        h('input', { name: 'cooldownMinutes', inputmode: 'numeric', value: r?.cooldownMinutes ?? 30 }),
      ),
      field(
        'Projects',
        h('input', { name: 'project', value: projectsOf(r?.filter).join(', '), placeholder: 'all' }),
        'comma-separated',
      ),
    ),
    h(
      'fieldset.groups',
      {},
      h('legend', {}, 'Per group'),
      GROUPS.map((g) =>
        h(
          'label',
          {},
          h('input', {
            type: 'checkbox',
            name: 'groupBy',
            value: g,
            checked: r?.groupBy.includes(g) ?? false,
          }),
          ` ${g.toLowerCase()}`,
        ),
      ),
    ),
    h(
      'label.check',
      {},
      h('input', { type: 'checkbox', name: 'enabled', checked: r?.enabled ?? true }),
      ' enabled',
    ),
    h('div.form-errors', { 'aria-live': 'polite' }),
    h(
      'div.actions',
      {},
      h('button', { type: 'submit' }, r ? 'Save rule' : 'Create rule'),
      r
        ? h(
            'button.secondary',
            {
              type: 'button',
              onclick: onCancel,
            },
            'Cancel',
          )
        : null,
    ),
  );
}

/** The form as an AlertRuleInput: empty fields are left out, so the API's defaults and checks apply. */
function readForm(form: HTMLFormElement, r: RuleRowFragment | null): AlertRuleInput {
  const d = new FormData(form);
  const text = (k: string): string => String(d.get(k) ?? '').trim();
  const number = (k: string): number | undefined => (text(k) === '' ? undefined : Number(text(k)));
  const projects = text('project')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const baseFilter = (r?.filter ?? {}) as ResultFilter;
  const { project: _old, ...rest } = baseFilter;
  const filter: ResultFilter = { ...rest, ...(projects.length && { project: projects }) };
  const threshold = number('threshold');
  const windowMinutes = number('windowMinutes');
  const cooldownMinutes = number('cooldownMinutes');
  return {
    name: text('name'),
    kind: text('kind') as AlertKind,
    severity: text('severity') as Severity,
    enabled: d.get('enabled') !== null,
    groupBy: d.getAll('groupBy').map(String) as Dimension[],
    ...(Object.keys(filter).length && { filter }),
    ...(text('measure') && {
      series: { measure: text('measure') as SeriesMeasure, stat: text('stat') as Stat },
    }),
    ...(text('operator') && { operator: text('operator') as ComparisonOperator }),
    ...(threshold !== undefined && { threshold }),
    ...(windowMinutes !== undefined && { windowMinutes }),
    ...(cooldownMinutes !== undefined && { cooldownMinutes }),
  };
}

/** A stored rule back as input (to toggle it without changing the rest). */
function inputOf(r: RuleRowFragment): AlertRuleInput {
  return {
    name: r.name,
    kind: r.kind,
    severity: r.severity,
    enabled: r.enabled,
    groupBy: [...r.groupBy],
    windowMinutes: r.windowMinutes,
    cooldownMinutes: r.cooldownMinutes,
    ...(r.filter !== null && typeof r.filter === 'object' && { filter: r.filter }),
    ...(r.series && {
      series: {
        ...(r.series.measure && { measure: r.series.measure }),
        ...(r.series.metric && { metric: r.series.metric }),
        stat: r.series.stat,
      },
    }),
    ...(r.operator && { operator: r.operator }),
    ...(r.threshold !== null && { threshold: r.threshold }),
  };
}

function projectsOf(filter: unknown): string[] {
  const p = (filter as { project?: unknown } | null)?.project;
  return Array.isArray(p) ? p.map(String) : [];
}

function describe(r: RuleRowFragment): string {
  const series = r.series
    ? `${(r.series.measure ?? r.series.metric ?? '').toLowerCase().replace(/_/g, ' ')}${r.series.stat !== 'AVG' ? ` ${r.series.stat.toLowerCase()}` : ''}`
    : '';
  const op = { GT: '>', GTE: '≥', LT: '<', LTE: '≤' }[r.operator ?? 'GT'];
  const per = r.groupBy.length ? ` per ${r.groupBy.map((g) => g.toLowerCase()).join(' × ')}` : '';
  return `${series}${r.threshold !== null ? ` ${r.operator ? op : ''} ${r.threshold}` : ''} over ${r.windowMinutes} min${per}`.trim();
}
