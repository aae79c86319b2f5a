import type { IncomingHttpHeaders } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { ApiContext, ApiServices } from './context';
import { apiError } from './modules/auth/api-errors';
import { authenticateToken, presentedToken, requestedFactoryId } from './modules/auth/authenticate-request';
import { isPlatformOperatorToken } from './modules/auth/platform-operator';
import { cookieCredential, type CookieTransport } from './modules/auth/session-cookie';
import type { TokenBuckets } from './modules/rate-limit/token-bucket';

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
 * factory, then charges API keys one token. Runs before any resolver, so a refused request
 * executes nothing. An explicit credential (Authorization, x-api-key, connectionParams) wins
 * over the session cookie.
 */
export async function createRequestContext(
  services: ApiServices,
  headers: IncomingHttpHeaders | Record<string, unknown>,
  keyLimiter: TokenBuckets,
  transport: RequestTransport = {},
): Promise<ApiContext> {
  const explicit = presentedToken(headers);
  const fromCookie = explicit === null && transport.cookie ? cookieCredential(transport.cookie) : null;
  let caller: ApiContext['caller'];
  if (isPlatformOperatorToken(explicit, services.platformOperatorToken)) {
    return { services, caller: { kind: 'operator' }, request: transport.request, cookies: transport.cookies };
  }
  try {
    caller = await authenticateToken(services.db, explicit ?? fromCookie, requestedFactoryId(headers), services.apiKeyCache);
  } catch (err) {
    // A cookie of an ended session must not lock the browser out of `login`: it counts as no
    // credential (protected operations still answer UNAUTHENTICATED), and the browser drops it.
    if (!fromCookie || (err as { extensions?: { code?: unknown } }).extensions?.code !== 'UNAUTHENTICATED') throw err;
    transport.cookies?.clear();
    caller = { kind: 'anonymous' } as const;
  }
  if (caller.kind === 'apiKey') {
    const wait = keyLimiter.take(caller.apiKeyId);
    if (wait > 0) {
      const error = apiError('RATE_LIMITED', `This API key sent too many requests; retry in ${wait} s.`, { retryAfterSeconds: wait });
      // Apollo turns extensions.http into the response status and headers.
      error.extensions.http = { status: 429, headers: new HeaderMap([['retry-after', String(wait)]]) };
      throw error;
    }
  }
  return { services, caller, request: transport.request, cookies: transport.cookies };
}
