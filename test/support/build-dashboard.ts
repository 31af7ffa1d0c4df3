import { buildDashboard } from '../../dashboard/build.ts';

/** Vitest global setup: the gateway serves dashboard/dist, so tests build it from the current source first (esbuild, well under a second). */
export default async function setup(): Promise<void> {
  await buildDashboard();
}
