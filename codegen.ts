import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { schema } from './schema/index.ts';

/**
 * `npm run codegen`: prints the Pothos schema (fields sorted) to
 * schema/schema.graphql, and typed documents for the public contract's
 * operations to test/generated/contract.ts. Both are committed; CI fails
 * when they drift from what this produces.
 */
const config: CodegenConfig = {
  overwrite: true,
  schema: printSchema(schema),
  documents: ['../shared/contract/operations.graphql'],
  generates: {
    'schema/schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true, sort: true, commentDescriptions: false },
    },
    'test/generated/contract.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        scalars: { DateTime: 'string', JSON: 'unknown' },
        dedupeFragments: true,
      },
    },
  },
};

export default config;
