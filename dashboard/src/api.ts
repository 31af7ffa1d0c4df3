import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from './generated/graphql.ts';

/** A GraphQL error answer, with the messages the API wrote (validation messages are meant for people). */
export class GqlError extends Error {
  constructor(
    readonly messages: readonly string[],
    readonly codes: readonly (string | undefined)[],
  ) {
    super(messages.join('\n'));
  }
}

interface Answer<R> {
  data?: R | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Sends one typed operation to the public endpoint, as any client would. */
export async function gql<R, V>(doc: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: doc.toString(), variables }),
  });
  const body = (await res.json()) as Answer<R>;
  if (body.errors?.length)
    throw new GqlError(
      body.errors.map((e) => e.message),
      body.errors.map((e) => e.extensions?.code),
    );
  if (!body.data) throw new GqlError([`HTTP ${res.status} without data`], []);
  return body.data;
}

/** One graphql-ws connection for the page, on the same host and port. */
export function liveClient(onStatus: (connected: boolean) => void): Client {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  return createClient({
    url,
    lazy: false,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: { connected: () => onStatus(true), closed: () => onStatus(false) },
  });
}

export function subscribe<R, V>(
  client: Client,
  doc: TypedDocumentString<R, V>,
  variables: V,
  next: (data: R) => void,
): () => void {
  return client.subscribe<R>(
    { query: doc.toString(), variables: variables as Record<string, unknown> },
    {
      next: (value) => {
        if (value.data) next(value.data);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
}
