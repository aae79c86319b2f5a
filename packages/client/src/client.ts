import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { GansightApiError, type GraphqlErrorEntry } from './errors';

/** A generated operation (src/generated/graphql.ts) carrying its result and variables types. */
export type Operation<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & { toString(): string };

/** Whatever WebSocket constructor the platform has (browsers: the global; Node 20: `ws`). */
export type WebSocketConstructor = unknown;

export interface GansightClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`; an origin alone gets `/graphql`. */
  url: string;
  /** An integrator's API key (`gsk_...`), sent as `Authorization: Bearer`. */
  apiKey?: string;
  /** A session token from `login` (`gss_...`); browsers may rely on the session cookie instead. */
  token?: string;
  /** The factory to act for, for users of several factories (`x-factory-id`). */
  factoryId?: string;
  /** Extra headers on every HTTP request. */
  headers?: Record<string, string>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** The subscription endpoint; defaults to `url` with ws(s):. */
  wsUrl?: string;
  /** WebSocket implementation for subscriptions; defaults to the global one (set by the Node entry to `ws`). */
  webSocketImpl?: WebSocketConstructor;
}

let defaultWebSocket: WebSocketConstructor | undefined = (globalThis as { WebSocket?: unknown }).WebSocket;

/** Used by the Node entry point (src/node.ts) to plug in `ws` where Node has no global WebSocket. */
export function setDefaultWebSocket(impl: WebSocketConstructor): void {
  defaultWebSocket ??= impl;
}

/** Handlers of one subscription; `complete` runs when the server ends it. */
export interface SubscriptionHandlers<T> {
  next(value: T): void;
  error?(error: GansightApiError): void;
  complete?(): void;
}

/**
 * A typed GraphQL client for Gansight over fetch (queries, mutations) and graphql-ws
 * (subscriptions). Every failure is a GansightApiError with the API's stable code.
 */
export class GansightClient {
  readonly url: string;
  private readonly options: GansightClientOptions;
  private ws: WsClient | undefined;

  constructor(options: GansightClientOptions) {
    this.options = options;
    // Relative URLs ('/graphql') resolve against the page in a browser.
    const base = (globalThis as { location?: { href: string } }).location?.href;
    const url = new URL(options.url, base);
    this.url = (/\/graphql\/?$/.test(url.pathname) ? url : new URL('/graphql', url)).toString();
  }

  /** Headers that carry the credential and factory choice. */
  private credentialHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    const credential = this.options.apiKey ?? this.options.token;
    if (credential) headers.authorization = `Bearer ${credential}`;
    if (this.options.factoryId) headers['x-factory-id'] = this.options.factoryId;
    return headers;
  }

  /** Runs a query or mutation; resolves with its data or throws GansightApiError. */
  async request<TResult, TVariables>(
    operation: Operation<TResult, TVariables>,
    ...[variables]: TVariables extends Record<string, never> ? [variables?: TVariables] : [variables: TVariables]
  ): Promise<TResult> {
    const doFetch = this.options.fetch ?? fetch;
    const query = operation.toString();
    const send = () =>
      doFetch(this.url, {
        method: 'POST',
        // JSON is also what makes a cookie-authenticated request safe from cross-site forgery:
        // browsers cannot send it to another origin without a CORS preflight.
        headers: { 'content-type': 'application/json', accept: 'application/json', ...this.options.headers, ...this.credentialHeaders() },
        body: JSON.stringify({ query, variables: variables ?? {} }),
        credentials: 'same-origin',
      });
    let res: Response;
    try {
      res = await send().catch((err: unknown) => {
        // A reused keep-alive socket that the server closed meanwhile fails at once (ECONNRESET);
        // a query changes nothing, so it is sent once more. Mutations are not: use idempotency keys.
        if (/^\s*(query|\{)/.test(query)) return send();
        throw err;
      });
    } catch (err) {
      throw new GansightApiError('NETWORK_ERROR', `Could not reach the Gansight API at ${this.url}: ${(err as Error).message}`, { cause: err });
    }
    let body: { data?: TResult | null; errors?: GraphqlErrorEntry[] };
    try {
      body = (await res.json()) as typeof body;
    } catch (err) {
      throw new GansightApiError('HTTP_ERROR', `The API at ${this.url} answered HTTP ${res.status} without a GraphQL body`, { status: res.status, cause: err });
    }
    if (body.errors?.length) throw GansightApiError.fromGraphql(body.errors, res.status);
    if (body.data == null) throw new GansightApiError('HTTP_ERROR', `The API answered HTTP ${res.status} with no data`, { status: res.status });
    return body.data;
  }

  private socket(): WsClient {
    if (this.ws) return this.ws;
    const impl = this.options.webSocketImpl ?? defaultWebSocket;
    if (!impl) throw new GansightApiError('NETWORK_ERROR', 'No WebSocket implementation: pass webSocketImpl (e.g. the `ws` package) or import @gansight/client from Node');
    const wsUrl = this.options.wsUrl ?? this.url.replace(/^http/, 'ws');
    this.ws = createWsClient({
      url: wsUrl,
      webSocketImpl: impl,
      lazy: true,
      // Credentials go in connectionParams: browsers cannot set headers on a WebSocket.
      connectionParams: () => this.credentialHeaders(),
      retryAttempts: 3,
    });
    return this.ws;
  }

  /** Starts a subscription; returns a function that ends it. */
  subscribe<TResult, TVariables>(
    operation: Operation<TResult, TVariables>,
    variables: TVariables,
    handlers: SubscriptionHandlers<TResult>,
  ): () => void {
    return this.socket().subscribe<TResult>(
      { query: operation.toString(), variables: (variables ?? {}) as Record<string, unknown> },
      {
        next: (result) => {
          if (result.errors?.length) handlers.error?.(GansightApiError.fromGraphql(result.errors as GraphqlErrorEntry[]));
          else if (result.data) handlers.next(result.data);
        },
        error: (err) => handlers.error?.(toSubscriptionError(err)),
        complete: () => handlers.complete?.(),
      },
    );
  }

  /** Closes the subscription socket, if one was opened. */
  async close(): Promise<void> {
    await this.ws?.dispose();
    this.ws = undefined;
  }
}

function toSubscriptionError(err: unknown): GansightApiError {
  if (Array.isArray(err)) return GansightApiError.fromGraphql(err as GraphqlErrorEntry[]);
  // A CloseEvent: the server refused the connection (4403: bad credentials) or it dropped.
  const close = err as { code?: number; reason?: string };
  if (typeof close?.code === 'number') {
    const code = close.code === 4403 ? 'UNAUTHENTICATED' : 'NETWORK_ERROR';
    return new GansightApiError(code, `The subscription socket closed (${close.code}${close.reason ? `: ${close.reason}` : ''})`);
  }
  return new GansightApiError('NETWORK_ERROR', `Subscription failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

/** A client for the Gansight API; see GansightClientOptions. */
export function createGansightClient(options: GansightClientOptions): GansightClient {
  return new GansightClient(options);
}
