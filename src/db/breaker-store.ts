import { queryAttemptOutcomes, queryBreakerEvents } from './breakers.ts';
import type { Database } from './database.ts';
import type { BreakerStore } from '../domain/breakers.ts';

/** Circuit-breaker transitions and the attempts around them. */
export const breakerStore = (db: Database): BreakerStore => ({
  breakerEvents: (filter) => queryBreakerEvents(db, filter),
  attemptOutcomes: (filter, windows) => queryAttemptOutcomes(db, filter, windows),
});
