import type { IncomingHttpHeaders } from 'node:http';
import type { ApiContext, ApiServices } from './context';
import { rateLimitedError } from './modules/auth/api-errors';
import { authenticateToken, presentedToken, requestedFactoryId } from './modules/auth/authenticate-request';
import { isPlatformOperatorToken } from './modules/auth/platform-operator';
import { cookieCredential, type CookieTransport } from './modules/auth/session-cookie';
import type { RequestLimiter } from './modules/rate-limit/shared-request-limiter';

/** Limits charged per request before anything executes (shared by every API process: ADR 0059). */
export interface RequestLimiters {
  /** Requests per API key. */
  apiKeys: RequestLimiter;
  /** Requests without credentials, per client address (what a flood of public queries meets). */
  anonymous: RequestLimiter;
}

export interface RequestTransport {
  /** Where the request came from, recorded with new sessions. */
  request?: ApiContext['request'];
  /** The HTTP request (or WebSocket upgrade) whose session cookie may stand in for a bearer token. */
  cookie?: CookieTransport;
  /** Lets login/logout set and clear the session cookie on this HTTP response. */
  cookies?: ApiContext['cookies'];
}

/**
 * Builds the context of one HTTP request or WebSocket operation: verifies the caller and its
 * factory, then charges API keys one token per key and anonymous callers one per client
 * address. Runs before any resolver (over HTTP even before the query is parsed), so a refused
 * request executes nothing. An explicit credential (Authorization, x-api-key,
 * connectionParams) wins over the session cookie.
 */
export async function createRequestContext(
  services: ApiServices,
  headers: IncomingHttpHeaders | Record<string, unknown>,
  limiters: RequestLimiters,
  transport: RequestTransport = {},
): Promise<ApiContext> {
  const explicit = presentedToken(headers);
  const fromCookie = explicit === null && transport.cookie ? cookieCredential(transport.cookie) : null;
  let caller: ApiContext['caller'];
  if (isPlatformOperatorToken(explicit, services.platformOperatorToken)) {
    return { services, caller: { kind: 'operator' }, request: transport.request, cookies: transport.cookies };
  }
  try {
    caller = await authenticateToken(services.db, explicit ?? fromCookie, requestedFactoryId(headers), services.apiKeyCache, services.log);
  } catch (err) {
    // A cookie of an ended session must not lock the browser out of `login`: it counts as no
    // credential (protected operations still answer UNAUTHENTICATED), and the browser drops it.
    if (!fromCookie || (err as { extensions?: { code?: unknown } }).extensions?.code !== 'UNAUTHENTICATED') throw err;
    transport.cookies?.clear();
    caller = { kind: 'anonymous' } as const;
  }
  if (caller.kind === 'apiKey') {
    const wait = await limiters.apiKeys.take(caller.apiKeyId);
    if (wait > 0) throw rateLimitedError(`This API key sent too many requests; retry in ${wait} s.`, wait);
  } else if (caller.kind === 'anonymous') {
    const wait = await limiters.anonymous.take(transport.request?.ip ?? 'unknown');
    if (wait > 0) throw rateLimitedError(`Too many requests without credentials from your address; retry in ${wait} s.`, wait);
  }
  return { services, caller, request: transport.request, cookies: transport.cookies };
}
