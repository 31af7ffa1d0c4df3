import { readFileSync } from 'node:fs';
import {
  execute,
  getVariableValues,
  Kind,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../schema/index.ts';
import { AssayError } from '../src/domain/errors.ts';

const contractDir = new URL('../../shared/contract/', import.meta.url);
const document = parse(readFileSync(new URL('operations.graphql', contractDir), 'utf8'));

function operation(name: string): OperationDefinitionNode {
  const op = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name,
  );
  if (!op) throw new Error(`operations.graphql has no operation ${name}`);
  return op;
}

/** The named operation alone, as a document a client would send. */
const only = (name: string): DocumentNode => ({ kind: Kind.DOCUMENT, definitions: [operation(name)] });

describe('public contract', () => {
  it('validates every operation in operations.graphql', () => {
    expect(document.definitions.length).toBeGreaterThan(20);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });

  it('accepts examples/alert-rule.json as CreateAlertRule variables', () => {
    const inputs = JSON.parse(
      readFileSync(new URL('examples/alert-rule.json', contractDir), 'utf8'),
    ) as Record<string, unknown>;
    const result = getVariableValues(schema, operation('CreateAlertRule').variableDefinitions ?? [], inputs);
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    expect(result.coerced).toMatchObject({
      input: { kind: 'PASS_RATE_DROP', severity: 'CRITICAL', channels: [{ format: 'SLACK' }] },
    });
  });

  // Every feature has landed: no query of the contract refuses as NOT_IMPLEMENTED. Without a store
  // in the context a built resolver fails reaching it (or on a required variable), never refusing first.
  // Each operation runs against stored data, with its answer checked, in the feature's own tests.
  const queries = document.definitions
    .filter(
      (d): d is OperationDefinitionNode =>
        d.kind === Kind.OPERATION_DEFINITION && d.operation === OperationTypeNode.QUERY,
    )
    .map((d) => d.name!.value);
  it.each(queries)('%s does not answer NOT_IMPLEMENTED', async (name) => {
    const result = await execute({
      schema,
      document: only(name),
      variableValues: { base: 'a', head: 'b', testId: 't', runId: 'r', id: 'x' },
      contextValue: {},
    });
    for (const e of result.errors ?? [])
      expect((e.originalError as AssayError | undefined)?.code).not.toBe('NOT_IMPLEMENTED');
  });
});
