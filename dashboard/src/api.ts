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

/** Longest GET URL the page sends; a longer query goes as a POST (servers cap a request's head near 16 KB). */
const MAX_GET_URL = 8000;

/**
 * Sends one typed operation to the public endpoint, as any client would. A query goes as a GET, so
 * the browser's cache revalidates a repeated one by its ETag (the gateway answers 304 until the
 * next ingest); mutations, and queries too long for a URL, as a POST.
 */
export async function gql<R, V>(doc: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const query = doc.toString();
  const url = `/graphql?${new URLSearchParams({ query, variables: JSON.stringify(variables) }).toString()}`;
  const res =
    /^\s*query\b/.test(query) && url.length <= MAX_GET_URL
      ? await fetch(url, { headers: { accept: 'application/json' } })
      : await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ query, variables }),
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
