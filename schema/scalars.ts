import { GraphQLError, Kind } from 'graphql';
import { builder, type UploadedFile } from './builder.ts';
import { parseTimestamp } from '../src/domain/time.ts';

function parseDate(value: unknown): Date {
  const d = parseTimestamp(value);
  if (typeof d === 'string')
    throw new GraphQLError(`DateTime ${d}`, { extensions: { code: 'BAD_USER_INPUT' } });
  return d;
}

export const DateTime = builder.scalarType('DateTime', {
  description:
    'An ISO-8601 date-time such as 2026-11-01T10:00:00Z. Input without an offset is read as UTC; output is always UTC.',
  serialize: (v) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString()),
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING)
      throw new GraphQLError('DateTime must be a string such as "2026-11-01T10:00:00Z"', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    return parseDate(ast.value);
  },
});

/** Arbitrary JSON; tags are objects of string to string. */
export const JSONScalar = builder.scalarType('JSON', {
  description: 'Arbitrary JSON. Tags are objects of string keys to string values.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: function literal(ast, variables): unknown {
    switch (ast.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
        return ast.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(ast.value);
      case Kind.NULL:
        return null;
      case Kind.LIST:
        return ast.values.map((v) => literal(v, variables));
      case Kind.OBJECT:
        return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value, variables)]));
      case Kind.VARIABLE:
        return variables?.[ast.name.value];
      default:
        return undefined;
    }
  },
});

/** Uploads: the GraphQL multipart request spec, as Yoga parses it. */
export const FileScalar = builder.scalarType('File', {
  description:
    'A file sent with the GraphQL multipart request spec (https://github.com/jaydenseric/graphql-multipart-request-spec), e.g. `curl -F operations=… -F map=… -F 0=@report.xml`.',
  serialize: () => {
    throw new GraphQLError('File is an input type only');
  },
  parseValue: (v) => {
    const f = v as Partial<UploadedFile> | null;
    if (!f || typeof f.stream !== 'function' || typeof f.name !== 'string') {
      throw new GraphQLError(
        'File must be sent as a multipart upload (GraphQL multipart request spec), not inline',
        { extensions: { code: 'BAD_USER_INPUT' } },
      );
    }
    return f as UploadedFile;
  },
  parseLiteral: () => {
    throw new GraphQLError(
      'File must be sent as a multipart upload (GraphQL multipart request spec), not inline',
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  },
});
