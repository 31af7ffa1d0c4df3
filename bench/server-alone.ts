/**
 * The server measured from outside its process, for `npm run bench`: the operations with a cold
 * goal, timed one request at a time on the run's reference set (cold-server.ts), its own resident
 * memory under the dashboard mix on that set (memory.ts), and cached answers from a separate
 * load-generator process on the 1M set (cached.ts).
 */
import { benchCached } from './cached.ts';
import { benchColdServer, type ColdServerFigure } from './cold-server.ts';
import { progress } from './lib.ts';
import { benchServerMemory, type ServerMemory } from './memory.ts';
import { PLANS } from './plans.ts';
import type { Figure } from './report.ts';

export async function benchServerAlone(
  mode: 'quick' | 'full',
  reference: { readonly tests: number; readonly runs: number; readonly seed: number },
): Promise<{ figures: Figure[]; memory: ServerMemory; cold: ColdServerFigure[] }> {
  progress('cold answers with a cold goal, the server in its own process:');
  const cold = await benchColdServer({
    reference,
    reps: PLANS[mode].coldReps,
    budgetMs: PLANS[mode].budgetMs,
  });
  progress("the server's own memory, in its own process, under the dashboard mix:");
  const server = await benchServerMemory({
    reference,
    seconds: mode === 'full' ? 60 : 20,
    clients: 50,
    ingestEveryMs: 5_000,
  });
  progress('cached answers from a separate process, on the 1M set:');
  const cached = await benchCached({
    reference: { tests: 5_000, runs: 200, seed: 42 },
    seconds: 10,
    connections: [1],
  });
  return {
    figures: [...cold.figures, ...cached.figures, ...server.figures],
    memory: server.memory,
    cold: cold.cold,
  };
}
