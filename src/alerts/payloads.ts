import type { Alert, AlertKind } from '../domain/alerts.ts';
import type { Severity } from '../domain/types.ts';
import type { MetricsGroup } from '../domain/types.ts';

/** The dimensions of a group, in the order messages show them. */
const DIMENSIONS = [
  'project',
  'suite',
  'testId',
  'branch',
  'commit',
  'runId',
  'worker',
  'hardware',
  'status',
] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** A group as payloads carry it: only the dimensions the rule grouped by, and the tags (always present). */
type PayloadGroup = Partial<Record<Dimension, string>> & {
  readonly tags: Readonly<Record<string, string>>;
};

/**
 * Body of a JSON channel. Version 1; fields are only ever added under the same version.
 * `value` and `threshold` are null when the rule kind has none (NEW_FAILURE, …).
 */
export interface JsonAlertPayload {
  readonly type: 'assay.alert';
  readonly version: 1;
  readonly alert: {
    readonly id: string;
    readonly kind: AlertKind;
    readonly severity: Severity;
    readonly message: string;
    /** ISO 8601, UTC. */
    readonly firedAt: string;
    readonly value: number | null;
    readonly threshold: number | null;
    readonly group: PayloadGroup;
    readonly rule: { readonly id: string; readonly name: string; readonly kind: AlertKind };
  };
}

type PlainText = { readonly type: 'plain_text'; readonly text: string; readonly emoji: true };
type Mrkdwn = { readonly type: 'mrkdwn'; readonly text: string };
type SlackBlock =
  | { readonly type: 'header'; readonly text: PlainText }
  | { readonly type: 'section'; readonly text: Mrkdwn }
  | { readonly type: 'section'; readonly fields: readonly Mrkdwn[] }
  | { readonly type: 'context'; readonly elements: readonly Mrkdwn[] };

/** Body of a Slack incoming webhook: `text` is the notification and fallback, `blocks` the message. */
export interface SlackPayload {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

const SEVERITY_EMOJI: Readonly<Record<Severity, string>> = {
  INFO: ':information_source:',
  WARNING: ':warning:',
  CRITICAL: ':rotating_light:',
};

/** The group without unset dimensions; tags copied so the payload owns them. */
function payloadGroup(group: MetricsGroup): PayloadGroup {
  const out: Partial<Record<Dimension, string>> = {};
  for (const d of DIMENSIONS) {
    const v = group[d];
    if (v !== null && v !== undefined) out[d] = v;
  }
  return { ...out, tags: { ...group.tags } };
}

/** The documented JSON body of an alert (see JsonAlertPayload). */
export function jsonPayload(alert: Alert): JsonAlertPayload {
  return {
    type: 'assay.alert',
    version: 1,
    alert: {
      id: alert.id,
      kind: alert.kind,
      severity: alert.severity,
      message: alert.message,
      firedAt: alert.firedAt.toISOString(),
      value: alert.value,
      threshold: alert.threshold,
      group: payloadGroup(alert.group),
      rule: { id: alert.rule.id, name: alert.rule.name, kind: alert.rule.kind },
    },
  };
}

/**
 * A Slack incoming-webhook message: a header with the severity emoji and rule
 * name, the alert message, fields for value, threshold and group, and a context
 * line with the alert id, kind, time and (with `baseUrl`) a link to the gateway.
 * Texts are cut to Slack's block limits (header 150, section 3000, field 2000).
 */
export function slackPayload(alert: Alert, baseUrl?: string): SlackPayload {
  const emoji = SEVERITY_EMOJI[alert.severity];
  const group = describeGroup(payloadGroup(alert.group));
  const context = [`Alert \`${escape(alert.id)}\``, alert.kind, alert.firedAt.toISOString()];
  if (baseUrl) context.push(`<${baseUrl}|Open Assay>`);
  return {
    text: cut(`${emoji} [${alert.severity}] ${alert.rule.name}: ${alert.message}`, 3000),
    blocks: [
      {
        type: 'header',
        text: {
          type: 'plain_text',
          text: cut(`${emoji} ${alert.severity}: ${alert.rule.name}`, 150),
          emoji: true,
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: cut(escape(alert.message), 3000) } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Value*\n${formatNumber(alert.value)}` },
          { type: 'mrkdwn', text: `*Threshold*\n${formatNumber(alert.threshold)}` },
          { type: 'mrkdwn', text: cut(`*Group*\n${escape(group)}`, 2000) },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] },
    ],
  };
}

/** "project=web, branch=main, ci=github", or "all" for the ungrouped rule. */
function describeGroup(group: PayloadGroup): string {
  const parts: string[] = [];
  for (const d of DIMENSIONS) {
    const v = group[d];
    if (v !== undefined) parts.push(`${d}=${v}`);
  }
  for (const [k, v] of Object.entries(group.tags)) parts.push(`${k}=${v}`);
  return parts.length > 0 ? parts.join(', ') : 'all';
}

/** Six significant digits, so 0.1 + 0.2 shows as 0.3; an em dash for none. */
function formatNumber(n: number | null): string {
  if (n === null) return '—';
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}

/** Slack mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
function escape(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
