import type { IncomingHttpHeaders } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { ApiContext, ApiServices } from './context';
import { apiError } from './modules/auth/api-errors';
import { authenticateToken, presentedToken, requestedFactoryId } from './modules/auth/authenticate-request';
import type { TokenBuckets } from './modules/rate-limit/token-bucket';

/**
 * Builds the context of one HTTP request or WebSocket operation: verifies the caller and its
 * factory, then charges API keys one token. Runs before any resolver, so a refused request
 * executes nothing.
 */
export async function createRequestContext(
  services: ApiServices,
  headers: IncomingHttpHeaders | Record<string, unknown>,
  keyLimiter: TokenBuckets,
  request: ApiContext['request'] = {},
): Promise<ApiContext> {
  const caller = await authenticateToken(services.db, presentedToken(headers), requestedFactoryId(headers));
  if (caller.kind === 'apiKey') {
    const wait = keyLimiter.take(caller.apiKeyId);
    if (wait > 0) {
      const error = apiError('RATE_LIMITED', `This API key sent too many requests; retry in ${wait} s.`, { retryAfterSeconds: wait });
      // Apollo turns extensions.http into the response status and headers.
      error.extensions.http = { status: 429, headers: new HeaderMap([['retry-after', String(wait)]]) };
      throw error;
    }
  }
  return { services, caller, request };
}
