import type { IncomingMessage } from 'node:http';
import { Kind, OperationTypeNode, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Counter, Histogram } from 'prom-client';

/** The outcome of the GraphQL operation a request executed. */
export interface Executed {
  readonly operation: string;
  readonly outcome: 'ok' | 'error';
}

/** A client's operation name as a label: bounded in length and alphabet, so it cannot flood the series. */
const opLabel = (name: string | null | undefined): string =>
  name && /^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name) ? name : 'anonymous';

/**
 * A Yoga plugin that counts each executed operation by name, type and outcome and times
 * queries and mutations; `operationOf` tells the request log what a request executed.
 */
export function operationMetrics(
  operations: Counter<'operation' | 'type' | 'outcome'>,
  operationSeconds: Histogram<'operation'>,
): { plugin: Plugin; operationOf: (req: IncomingMessage) => Executed | undefined } {
  // Yoga's server context carries the Node request: the request log reads the operation from it.
  const executed = new WeakMap<IncomingMessage, Executed>();
  const plugin: Plugin = {
    onExecute({ args }) {
      const req = (args.contextValue as { req?: IncomingMessage }).req;
      const op = (args.document as DocumentNode).definitions.find(
        (d) =>
          d.kind === Kind.OPERATION_DEFINITION &&
          (!args.operationName || d.name?.value === args.operationName),
      );
      const type = op?.kind === Kind.OPERATION_DEFINITION ? op.operation : 'query';
      const operation = opLabel(
        (args.operationName as string | null | undefined) ??
          (op?.kind === Kind.OPERATION_DEFINITION ? op.name?.value : null),
      );
      const at = performance.now();
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0;
          operations.inc({ operation, type, outcome: errors ? 'error' : 'ok' });
          if (req) executed.set(req, { operation, outcome: errors ? 'error' : 'ok' });
          if (type !== OperationTypeNode.SUBSCRIPTION)
            operationSeconds.observe({ operation }, (performance.now() - at) / 1000);
        },
      };
    },
  };

  return { plugin, operationOf: (req) => executed.get(req) };
}
