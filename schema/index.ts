import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './enums.ts';
import './inputs.ts';
import './run.ts';
import './test.ts';
import './result.ts';
import './metrics.ts';
import './ingest.ts';
import './gateway.ts';
import './trends.ts';
import './anomalies.ts';
import './flakiness.ts';
import './forecast.ts';
import './compare.ts';
import './compare-runs.ts';
import './failure-patterns.ts';
import './workload.ts';
import './breakers.ts';
import './quality-gate.ts';
import './report.ts';
import './performance.ts';
import './alerts.ts';
import './test-shards.ts';
import './quarantine.ts';

/** The whole public schema, fields sorted so the printed SDL is stable. */
export const schema = lexicographicSortSchema(builder.toSchema());
