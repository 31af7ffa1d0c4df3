import { readFileSync } from 'node:fs';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { describe, expect, it } from 'vitest';
import { schema } from '../../schema/index.ts';
import { variableCoercer } from '../../src/server/coerce-variables.ts';

const contract = new URL('../../../shared/contract/', import.meta.url);
const ingest = parse(readFileSync(new URL('operations.graphql', contract), 'utf8')).definitions.find(
  (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === 'Ingest',
)!;
const example = JSON.parse(readFileSync(new URL('examples/ingest.json', contract), 'utf8')) as {
  input: { run: object; results: Record<string, unknown>[] };
};

describe('compiled variable coercion', () => {
  it('coerces the contract example of an ingest batch exactly as graphql-js does', () => {
    const coerce = variableCoercer();
    const { input } = example;
    // Every field of the example, plus values graphql-js turns into another type (an ID from an int).
    for (const variables of [
      example,
      { input: { ...input, results: [{ ...input.results[0], attempt: 2 }] } },
    ]) {
      const expected = getVariableValues(schema, ingest.variableDefinitions ?? [], variables);
      expect(expected.errors).toBeUndefined();
      expect(coerce(schema, ingest, variables)).toEqual({ coerced: expected.coerced });
    }
  });

  it("answers a batch that does not coerce with graphql-js's errors, which name where the value sits", () => {
    const coerce = variableCoercer();
    const bad = {
      input: {
        ...example.input,
        results: [example.input.results[0], { ...example.input.results[1], durationMs: 'slow' }],
      },
    };
    const expected = getVariableValues(schema, ingest.variableDefinitions ?? [], bad, { maxErrors: 10 });
    const got = coerce(schema, ingest, bad);
    expect('errors' in got && got.errors.map((e) => e.message)).toEqual(
      expected.errors?.map((e) => e.message),
    );
    expect(expected.errors?.[0]?.message).toContain('at "input.results[1].durationMs"');
  });
});
