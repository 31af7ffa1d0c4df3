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
import './analytics.ts';
import './operations.ts';
import './performance.ts';
import './alerts.ts';
import './test-shards.ts';
import './quarantine.ts';

/** The whole public schema, fields sorted so the printed SDL is stable. */
export const schema = lexicographicSortSchema(builder.toSchema());
