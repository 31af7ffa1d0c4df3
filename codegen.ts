import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { schema } from './schema/index.ts';

/**
 * `npm run codegen`: prints the Pothos schema (fields sorted) to
 * schema/schema.graphql, typed documents for the public contract's
 * operations to test/generated/contract.ts, and the dashboard's operations
 * to dashboard/src/generated/graphql.ts (as strings: the browser sends them
 * without bundling graphql's parser). All are committed; CI fails when they
 * drift from what this produces.
 */
const config: CodegenConfig = {
  overwrite: true,
  schema: printSchema(schema),
  generates: {
    'schema/schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true, sort: true, commentDescriptions: false },
    },
    'test/generated/contract.ts': {
      documents: ['../shared/contract/operations.graphql'],
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        scalars: { DateTime: 'string', JSON: 'unknown' },
        dedupeFragments: true,
      },
    },
    'dashboard/src/generated/graphql.ts': {
      documents: ['dashboard/operations.graphql'],
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        documentMode: 'string',
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
