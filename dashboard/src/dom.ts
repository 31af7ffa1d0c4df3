/** A tiny element builder: h('a.link', { href }, 'text', child). Strings become text nodes (never HTML). */
export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Attrs = Readonly<Record<string, string | number | boolean | null | undefined | EventListener>>;

export function h<K extends keyof HTMLElementTagNameMap>(
  spec: K | `${K}.${string}`,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const [tag, ...classes] = spec.split('.') as [K, ...string[]];
  const el = document.createElement(tag);
  if (classes.length) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
    else if (key === 'class') el.className = `${el.className} ${String(value)}`.trim();
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c as readonly Child[]);
    else el.appendChild(typeof c === 'object' ? (c as Node) : document.createTextNode(String(c)));
  }
}

export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

// ---------------------------------------------------------------- formats

export const pct = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined ? '–' : `${(v * 100).toFixed(digits)} %`;

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (v === 0) return '0';
  if (v < 1000) return `${v.toFixed(v < 10 ? 1 : 0)} ms`;
  if (v < 60_000) return `${(v / 1000).toFixed(v < 10_000 ? 2 : 1)} s`;
  if (v < 3_600_000) return `${(v / 60_000).toFixed(1)} min`;
  return `${(v / 3_600_000).toFixed(1)} h`;
}

export const num = (v: number | null | undefined, digits = 0): string =>
  v === null || v === undefined
    ? '–'
    : v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const when = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) : '–';

/** "3 h ago" relative to `now` (the dashboard's clock). */
export function ago(iso: string | null | undefined, now: number): string {
  if (!iso) return '–';
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (s < 90) return `${Math.round(s)} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 129_600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

export const statusClass = (s: string | null | undefined): string => `st-${(s ?? 'none').toLowerCase()}`;
