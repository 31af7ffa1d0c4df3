import SchemaBuilder from '@pothos/core';
import type { Deps } from '../src/domain/ports.ts';

/** The GraphQL context: the resolvers' dependencies, with this request's loaders. */
export type Context = Deps;

export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
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
