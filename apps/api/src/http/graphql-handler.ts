import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { BodyTooLargeError, readBody } from './read-body';

export interface GraphqlHandlerOptions<C extends BaseContext> {
  maxBodyBytes: number;
  /** `setCookies` collects Set-Cookie values (login, logout) for this response; `body` is the parsed JSON body, if any. */
  context: (req: IncomingMessage, setCookies: string[], body: unknown) => Promise<C>;
}

/**
 * Bridges Node's http server to Apollo without Express: we own the one HTTP server so that
 * graphql-ws can share it, and body limits are enforced before anything is parsed.
 */
export function createGraphqlHandler<C extends BaseContext>(
  apollo: ApolloServer<C>,
  options: GraphqlHandlerOptions<C>,
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let body: unknown;
    if (req.method === 'POST') {
      let raw: Buffer;
      try {
        raw = await readBody(req, options.maxBodyBytes);
      } catch (err) {
        if (err instanceof BodyTooLargeError) return sendError(res, 413, err.code, err.message);
        throw err;
      }
      const type = String(req.headers['content-type'] ?? '');
      if (!type.startsWith('application/json')) {
        return sendError(res, 415, 'BAD_REQUEST', 'Send GraphQL requests as application/json');
      }
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        return sendError(res, 400, 'BAD_REQUEST', 'Request body is not valid JSON');
      }
    }
    const headers = new HeaderMap();
    for (const key in req.headers) {
      const value = req.headers[key];
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    // Without a '?' there is no query string; only GET requests carry one, so POSTs parse no URL.
    const search = req.url?.includes('?') ? new URL(req.url, 'http://localhost').search : '';
    const setCookies: string[] = [];
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
      context: () => options.context(req, setCookies, body),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    // Answers carry tenant data and presigned URLs: no shared or browser cache may keep them
    // (what Apollo's cache-control plugin sent before it was disabled, docs/adr/0015).
    res.setHeader('cache-control', 'no-store');
    if (setCookies.length) res.setHeader('set-cookie', setCookies);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
