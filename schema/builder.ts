import SchemaBuilder from '@pothos/core';
import type { Deps } from '../src/domain/ports.ts';

/** What Yoga hands a resolver for a `File` variable of a multipart request (a Fetch API File). */
export interface UploadedFile {
  readonly name: string;
  stream(): ReadableStream<Uint8Array>;
}

/** The GraphQL context: the resolvers' dependencies, with this request's loaders. */
export type Context = Deps;

export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    File: { Input: UploadedFile; Output: never };
    ID: { Input: string; Output: string };
  };
  DefaultInputFieldRequiredness: false;
  // Fields are non-null unless marked `nullable: true`: clients can rely on what is promised.
  DefaultFieldNullability: false;
}>({ defaultFieldNullability: false });

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

/** The builder's resolved schema types, for helpers that take Pothos refs. */
export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
