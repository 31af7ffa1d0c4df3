import { GqlError } from './api.ts';
import { h, replace, type Child } from './dom.ts';

/** A card whose body is (re)loaded by `load`; the old body stays until the new one is ready. */
export interface Panel {
  readonly el: HTMLElement;
  refresh(): Promise<void>;
}

export function panel(title: Child, load: (body: HTMLElement) => Promise<void>, opts: { wide?: boolean; id?: string; tools?: Child } = {}): Panel {
  let body = h('div.panel-body', {}, h('div.loading', {}, 'Loading…'));
  const el = h('section.panel', { class: opts.wide ? 'wide' : '', 'data-panel': opts.id }, h('header', {}, h('h2', {}, title), opts.tools), body);
  return {
    el,
    async refresh() {
      el.classList.add('busy');
      // Built off-page, then swapped in, so a refresh never flashes an empty card.
      const fresh = h('div.panel-body');
      try {
        await load(fresh);
      } catch (error) {
        replace(fresh, errorBox(error));
      } finally {
        el.classList.remove('busy');
      }
      body.replaceWith(fresh);
      body = fresh;
    },
  };
}

export function errorBox(error: unknown): HTMLElement {
  const messages = error instanceof GqlError ? error.messages : [error instanceof Error ? error.message : String(error)];
  return h('div.error', { role: 'alert' }, messages.map((m) => h('p', {}, m)));
}

export const empty = (text: string): HTMLElement => h('p.empty', {}, text);
