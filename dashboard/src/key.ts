import { h } from './dom.ts';

/**
 * The API key the dashboard sends when the gateway needs one (`assay serve --auth`).
 *
 * It is kept in sessionStorage, not localStorage: the key lives as long as the
 * tab, is never shared with other tabs or written to the profile for later
 * sessions, and is gone when the tab closes. On a shared or kiosk screen a
 * key does not outlive its user; the cost is typing (or pasting) it again in
 * a new tab. Any script on the page could read either store, so the
 * dashboard loads no third-party code (everything is bundled at build time).
 */
const STORE = 'assay.apiKey';

export function apiKey(): string | null {
  try {
    return sessionStorage.getItem(STORE) || null;
  } catch {
    // Storage disabled (some privacy modes): no key.
    return null;
  }
}

function saveKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(STORE, key);
    else sessionStorage.removeItem(STORE);
  } catch {
    // Storage disabled: the key cannot be kept; the prompt stays.
  }
}

/** `Authorization: Bearer <key>` when a key is set, else nothing. */
export const authHeaders = (): Record<string, string> => {
  const key = apiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
};

/** What the gateway answered about the key, said for a person, with what to do. */
export function keyMessage(code: 'UNAUTHENTICATED' | 'FORBIDDEN', detail: string): string {
  if (code === 'FORBIDDEN')
    return `This API key may not read this: ${detail} Enter a key with the scope and projects it needs.`;
  return apiKey()
    ? `The gateway refused this API key: ${detail} Enter another key.`
    : 'This gateway needs an API key. Enter a read key (an operator makes one with: assay keys create --scope read).';
}

/**
 * The key prompt: a password field that stores the key for this tab and
 * reloads the page so every request and the live connection use it, and a
 * button to forget it. Hidden until the gateway refuses a request for its key;
 * while a key is set, `toggle` (in the top bar) opens it to change or forget it.
 */
export function keyPrompt(): { el: HTMLElement; toggle: HTMLElement; show(message: string | null): void } {
  const input = h('input', {
    type: 'password',
    name: 'apiKey',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'API key',
    'aria-label': 'API key',
  });
  const note = h('span.key-note', { role: 'alert' });
  const forget = h('button', { type: 'button', hidden: !apiKey() }, 'Forget key');
  const el = h('form.key', { hidden: true }, note, input, h('button', { type: 'submit' }, 'Use key'), forget);
  el.onsubmit = (e) => {
    e.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    saveKey(key);
    location.reload();
  };
  forget.onclick = () => {
    saveKey(null);
    location.reload();
  };
  const toggle = h(
    'button.key-toggle',
    { type: 'button', hidden: !apiKey(), title: 'Change or forget the API key' },
    'API key',
  );
  toggle.onclick = () => (el.hidden = !el.hidden);
  return {
    el,
    toggle,
    show(message) {
      el.hidden = false;
      note.textContent = message ?? '';
      if (message && !input.value) input.focus();
    },
  };
}
