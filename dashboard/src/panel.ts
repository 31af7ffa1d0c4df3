import { GqlError } from './api.ts';
import { h, replace, type Child } from './dom.ts';

/** A card whose body is (re)loaded by `load`; the old body stays until the new one is ready. */
export interface Panel {
  readonly el: HTMLElement;
  refresh(): Promise<void>;
}

/**
 * A form in `body` the user is filling in: focus in one of its fields, or a
 * field changed since it was drawn (marked on input, cleared on submit).
 */
export function editing(body: HTMLElement): boolean {
  const active = document.activeElement;
  return (
    body.querySelector('form[data-dirty]') !== null ||
    (active !== null && body.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName))
  );
}

/** Marks a body's forms dirty when a field changes, clean again when sent. */
function trackEdits(body: HTMLElement): HTMLElement {
  body.addEventListener('input', (e) =>
    (e.target as Element).closest('form')?.setAttribute('data-dirty', ''),
  );
  body.addEventListener(
    'submit',
    (e) => (e.target as Element).closest('form')?.removeAttribute('data-dirty'),
    true,
  );
  return body;
}

export function panel(
  title: Child,
  load: (body: HTMLElement) => Promise<void>,
  opts: { wide?: boolean; id?: string; tools?: Child } = {},
): Panel {
  let body = trackEdits(h('div.panel-body', {}, h('div.loading', {}, 'Loading…')));
  const el = h(
    'section.panel',
    { class: opts.wide ? 'wide' : '', 'data-panel': opts.id },
    h('header', {}, h('h2', {}, title), opts.tools),
    body,
  );
  return {
    el,
    async refresh() {
      // A live refresh never throws away what someone is typing: the panel keeps its form until it is sent.
      if (editing(body)) return;
      el.classList.add('busy');
      // Built off-page, then swapped in, so a refresh never flashes an empty card.
      const fresh = trackEdits(h('div.panel-body'));
      try {
        await load(fresh);
      } catch (error) {
        replace(fresh, errorBox(error));
      } finally {
        el.classList.remove('busy');
      }
      if (editing(body)) return;
      body.replaceWith(fresh);
      body = fresh;
    },
  };
}

export function errorBox(error: unknown): HTMLElement {
  const messages =
    error instanceof GqlError ? error.messages : [error instanceof Error ? error.message : String(error)];
  return h(
    'div.error',
    { role: 'alert' },
    messages.map((m) => h('p', {}, m)),
  );
}

export const empty = (text: string): HTMLElement => h('p.empty', {}, text);
