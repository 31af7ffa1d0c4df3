import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from './generated/graphql.ts';
import { apiKey, authHeaders, keyMessage } from './key.ts';

type KeyCode = 'UNAUTHENTICATED' | 'FORBIDDEN';
const KEY_CODES: readonly (string | undefined)[] = ['UNAUTHENTICATED', 'FORBIDDEN'];
let keyProblem: (message: string) => void = () => undefined;

/** Hears every refusal of the key (no key, unknown, revoked, out of scope): the page shows its key prompt. */
export function onKeyProblem(listener: (message: string) => void): void {
  keyProblem = listener;
}

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
      ? await fetch(url, { headers: { accept: 'application/json', ...authHeaders() } })
      : await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders() },
          body: JSON.stringify({ query, variables }),
        });
  const body = (await res.json()) as Answer<R>;
  if (body.errors?.length) {
    const codes = body.errors.map((e) => e.extensions?.code);
    // A refused key is said once, in words that say what to do, instead of once per field.
    const refusal = body.errors.find((e) => KEY_CODES.includes(e.extensions?.code));
    if (refusal) {
      const message = keyMessage(refusal.extensions?.code as KeyCode, refusal.message);
      keyProblem(message);
      throw new GqlError([message], codes);
    }
    throw new GqlError(
      body.errors.map((e) => e.message),
      codes,
    );
  }
  if (!body.data) throw new GqlError([`HTTP ${res.status} without data`], []);
  return body.data;
}

/** graphql-ws's close code for a connection_init without a good key (src/server/ws.ts). */
const UNAUTHENTICATED_CLOSE = 4401;
const refusedKey = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === UNAUTHENTICATED_CLOSE;

/**
 * One graphql-ws connection for the page, on the same host and port, sending the key in
 * `connection_init`. A refused key stops the retries (they would be refused alike) until
 * a new key reloads the page.
 */
export function liveClient(onStatus: (connected: boolean) => void): Client {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  return createClient({
    url,
    lazy: false,
    connectionParams: () => {
      const key = apiKey();
      return key ? { authorization: `Bearer ${key}` } : {};
    },
    retryAttempts: Infinity,
    shouldRetry: (e) => !refusedKey(e),
    on: {
      connected: () => onStatus(true),
      closed: (e) => {
        onStatus(false);
        if (refusedKey(e)) keyProblem(keyMessage('UNAUTHENTICATED', 'live updates were refused.'));
      },
    },
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
