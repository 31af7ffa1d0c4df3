import type { Client } from 'graphql-ws';
import type { AlertRowFragment } from './generated/graphql.ts';
import type { Panel } from './panel.ts';
import type { Route } from './state.ts';

/** What a view gets from the shell. */
export interface Ctx {
  readonly route: Route;
  /** The dashboard's clock (ms). */
  readonly now: () => number;
  readonly live: Client;
}

/** A mounted view: its element, a refresh (called on load and, debounced, on ingests into its slice). */
export interface View {
  readonly el: HTMLElement;
  refresh(): Promise<void>;
  /** Whether an ingested run concerns this view; the shell's slice check when absent. */
  touches?(run: { project: string; branch: string | null; startedAt: string }): boolean;
  /** A live alert arrived. */
  onAlert?(alert: AlertRowFragment): void;
  dispose?(): void;
}

/** A view made of panels refreshed together. */
export function panels(
  el: HTMLElement,
  list: readonly Panel[],
  before?: () => void,
): Pick<View, 'el' | 'refresh'> {
  el.append(...list.map((p) => p.el));
  return {
    el,
    async refresh() {
      before?.();
      await Promise.all(list.map((p) => p.refresh()));
    },
  };
}

/** Memoises one promise per refresh, so panels that need the same answer send one request. */
export function shared<T>(make: () => Promise<T>): { get: () => Promise<T>; reset: () => void } {
  let p: Promise<T> | null = null;
  return {
    get: () => (p ??= make()),
    reset: () => {
      p = null;
    },
  };
}
