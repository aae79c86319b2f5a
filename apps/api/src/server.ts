import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { ApiContext, ApiServices } from './context';
import { formatError } from './format-error';
import { createGraphqlHandler } from './http/graphql-handler';
import { stoppableHttpServer } from './http/stop-http-server';
import { TokenBuckets, type RateLimit } from './modules/rate-limit/token-bucket';
import { SharedRateLimit } from './modules/rate-limit/shared-rate-limit';
import { SharedRequestLimiter } from './modules/rate-limit/shared-request-limiter';
import { createRequestContext, type RequestLimiters } from './request-context';
import { ApiKeyCache } from './modules/auth/api-key-cache';
import { clearedSessionCookie, sessionCookie, type CookieTransport } from './modules/auth/session-cookie';
import { DEFAULT_QUERY_LIMITS, queryLimitsRule, type QueryLimits } from './guards/query-limits';
import { ANONYMOUS_QUERY_LIMITS, anonymousLimitErrors, anonymousQueryLimitsPlugin, anonymousSourceError } from './guards/anonymous-query-limits';
import { withoutSchemaSuggestions } from './guards/hide-schema-suggestions';
import { clientAddress } from './http/client-address';
import type { DocumentNode, GraphQLError, GraphQLFormattedError } from 'graphql';
import { gql } from './graphql-runtime';
import { buildSchema } from './schema';
import { startUploadSweeper } from './modules/images/sweep-uploads';
import { createMetricsRegistry, currentLogContext, lineLog, serveOpsRoute, setBackendInfo, withLogContext, type Logger, type Registry } from '@gansight/telemetry';
import { createApiMetrics } from './observability/api-metrics';
import { probeHealth } from './modules/health/health-probe';

/**
 * Password attempts per email or user when `loginRateLimit` is not given: what every `gansight
 * start` process uses. Exported so that tests of several processes derive their counts from it.
 */
export const DEFAULT_LOGIN_RATE_LIMIT: Readonly<RateLimit> = { capacity: 10, refillPerSecond: 1 / 30 };

/** A plain HTTP route mounted beside /graphql (for example signed blob URLs at /blobs). */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface ApiServerOptions {
  host: string;
  port: number;
  services: ApiServices;
  introspection: boolean;
  maxBodyBytes?: number;
  routes?: Record<string, HttpRoute>;
  log?: (message: string) => void;
  /** Structured logs: one line per GraphQL request (debug; info when it answered errors), and `log` when that is not given. */
  logger?: Logger;
  /** Where /metrics reads from (default: a registry of this server's own). */
  metrics?: Registry;
  /** Requests per API key, shared by every API process on the database (default: bursts of 300, 20 per second). */
  apiKeyRateLimit?: RateLimit;
  /** Password attempts per email (sign-in) or user (password change), shared in PostgreSQL (default: 10, then one every 30 s). */
  loginRateLimit?: RateLimit;
  /** Requests without credentials per client address, shared by every API process (default: bursts of 120, 2 per second). */
  anonymousRateLimit?: RateLimit;
  queryLimits?: Partial<QueryLimits>;
  /** Smaller limits for requests without credentials (default ANONYMOUS_QUERY_LIMITS). */
  anonymousQueryLimits?: Partial<QueryLimits>;
  /** Marks the session cookie Secure; set it when browsers reach the API (or its proxy) over https. */
  secureCookies?: boolean;
  /** Removing uploads nobody registered (modules/images/sweep-uploads.ts); intervalMs 0 turns it off. */
  uploadSweep?: { intervalMs?: number; graceMs?: number };
  /** How long `stop()` lets in-flight requests finish before cutting their connections (default 3 s). */
  stopGraceMs?: number;
}

export interface RunningApiServer {
  url: string;
  wsUrl: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts Apollo (HTTP) and graphql-ws (WebSocket) on one HTTP server; resolves once listening. */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const schema = buildSchema();
  const httpServer = http.createServer();
  const maxBodyBytes = options.maxBodyBytes ?? 4_000_000;
  // ws accepts 100 MiB messages by default; a socket gets the same limit as an HTTP body.
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: maxBodyBytes });
  const log = options.log ?? (options.logger ? lineLog(options.logger) : (message: string) => console.error(message));
  const registry = options.metrics ?? createMetricsRegistry();
  setBackendInfo(registry, { role: 'api', backend: 'none', version: options.services.version });
  const apiMetrics = createApiMetrics(registry);
  const limiters: RequestLimiters = {
    apiKeys: new SharedRequestLimiter(options.services.db, 'api-key-requests', options.apiKeyRateLimit ?? { capacity: 300, refillPerSecond: 20 }, log),
    anonymous: new SharedRequestLimiter(options.services.db, 'anonymous-requests', options.anonymousRateLimit ?? { capacity: 120, refillPerSecond: 2 }, log),
  };
  const services: ApiServices = {
    ...options.services,
    loginLimiter:
      options.services.loginLimiter ??
      new SharedRateLimit(options.services.db, 'password-attempts', options.loginRateLimit ?? DEFAULT_LOGIN_RATE_LIMIT, log),
    apiKeyCache: options.services.apiKeyCache ?? new ApiKeyCache(),
    log: options.services.log ?? log,
  };
  const cookieOptions = { secure: options.secureCookies ?? false };
  // Re-verifying a subscriber per event is not a request of theirs, so it costs no rate-limit tokens.
  const unlimitedBuckets = new TokenBuckets({ capacity: Number.MAX_SAFE_INTEGER, refillPerSecond: Number.MAX_SAFE_INTEGER });
  const unlimited: RequestLimiters = { apiKeys: unlimitedBuckets, anonymous: unlimitedBuckets };
  const validationRules = [queryLimitsRule({ ...DEFAULT_QUERY_LIMITS, ...options.queryLimits })];
  const anonymousLimits = { ...ANONYMOUS_QUERY_LIMITS, ...options.anonymousQueryLimits };
  // With introspection off, "Did you mean ...?" hints would list the schema to whoever guesses.
  const presentError = (formatted: GraphQLFormattedError, error: unknown) => {
    const presented = formatError(options.introspection ? formatted : withoutSchemaSuggestions(formatted), error, log);
    apiMetrics.countError(String(presented.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
    return presented;
  };
  const validateOnSocket = (document: DocumentNode) =>
    gql.validate(schema, document, [
      ...gql.specifiedRules,
      ...validationRules,
      // Apollo hides the schema over HTTP in production; the socket must not show it either.
      ...(options.introspection ? [] : [gql.NoSchemaIntrospectionCustomRule]),
    ]);
  // Sockets opened without credentials: their operations get the anonymous limits.
  const anonymousSockets = new WeakSet<object>();
  // WebSocket clients present the same credentials in connectionParams; they are verified on
  // connect and again per operation, so a key revoked mid-connection stops working.
  const wsCleanup = useServer(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          const context = await createRequestContext(services, lowerKeys(ctx.connectionParams), limiters, {
            cookie: upgradeCookie(ctx.extra),
            request: upgradeRequest(ctx.extra),
          });
          if (context.caller.kind === 'anonymous') anonymousSockets.add(ctx);
          return true;
        } catch {
          return false;
        }
      },
      // An anonymous socket's operations are parsed and validated here, with the anonymous limits.
      onSubscribe: (ctx, _id, payload) => {
        if (!anonymousSockets.has(ctx)) return undefined;
        const tooLong = anonymousSourceError(payload.query);
        if (tooLong) return [tooLong];
        let document: DocumentNode;
        try {
          document = gql.parse(payload.query);
        } catch (err) {
          return [err as GraphQLError];
        }
        const errors = validateOnSocket(document);
        if (errors.length) return [...errors];
        const tooComplex = anonymousLimitErrors(schema, document, anonymousLimits);
        if (tooComplex.length) return tooComplex;
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      // Same error codes and redaction over WebSocket as over HTTP.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => presentError(e.toJSON(), e)) } : result,
      // Errors before execution (parse, validation, limits) are the client's own; only the hints go.
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => (options.introspection ? e.toJSON() : withoutSchemaSuggestions(e.toJSON()))),
      validate: (_schema, document) => validateOnSocket(document),
      context: async (ctx): Promise<ApiContext> => {
        const params = lowerKeys(ctx.connectionParams);
        // A browser's session cookie rides on the upgrade request (checked for its Origin there).
        const cookie = upgradeCookie(ctx.extra);
        const context = await createRequestContext(services, params, limiters, { cookie, request: upgradeRequest(ctx.extra) });
        // Events arrive long after the subscription was authorised; credentials may be revoked since.
        return { ...context, reauthenticate: async () => (await createRequestContext(services, params, unlimited, { cookie })).caller };
      },
    },
    wss,
  );
  const stopHttp = stoppableHttpServer(httpServer, wss, { graceMs: options.stopGraceMs ?? 3000, webSocketGraceMs: 1000 });
  const apollo = new ApolloServer<ApiContext>({
    schema,
    introspection: options.introspection,
    csrfPrevention: true,
    formatError: presentError,
    validationRules,
    // The process owner (gansight start, tests) decides when to stop. Apollo's own SIGTERM handler
    // would stop it a second time, concurrently, and Apollo 5's second stop() never returns.
    stopOnTerminationSignals: false,
    plugins: [
      apiMetrics.plugin,
      anonymousQueryLimitsPlugin(anonymousLimits),
      ...(options.introspection ? [] : [ApolloServerPluginLandingPageDisabled()]),
      // Apollo's default cache-control plugin hooks every field of every response (a policy object
      // and closures per field) to compute a header that, with no cache hints in our schema, is
      // always `no-store`; graphql-handler.ts sends that header itself (docs/adr/0015).
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();
  const graphql = createGraphqlHandler(apollo, {
    maxBodyBytes,
    context: async (req, setCookies, body) => {
      const context = await createRequestContext(services, req.headers, limiters, {
        request: {
          ip: clientAddress(req),
          userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : undefined,
        },
        // POST bodies were required to be JSON before this runs (see session-cookie.ts on CSRF).
        cookie: { headers: req.headers, method: req.method ?? 'GET' },
        cookies: {
          set: (token, expiresAt) => void setCookies.push(sessionCookie(token, expiresAt, cookieOptions)),
          clear: () => void setCookies.push(clearedSessionCookie(cookieOptions)),
        },
      });
      // Refused before Apollo parses it: parsing a long anonymous operation is the cost to avoid.
      const tooLong = context.caller.kind === 'anonymous' && anonymousSourceError((body as { query?: unknown } | undefined)?.query);
      if (tooLong) throw tooLong;
      // Every log line of this request from here on names the verified factory.
      const fields = currentLogContext();
      if (fields && 'factoryId' in context.caller) fields.factoryId = context.caller.factoryId;
      return context;
    },
  });
  const routes = options.routes ?? {};
  const ops = {
    metrics: registry,
    // Ready while every health check answers (database, storage): the same probes as the `health` query.
    readiness: async () => (await probeHealth(services)).map((c) => ({ name: c.name, ok: c.ok, reason: c.error ?? undefined })),
  };
  const graphqlObserved = async (req: IncomingMessage, res: ServerResponse) => {
    const { record } = await apiMetrics.observe(() => graphql(req, res));
    const fields = { operation: record.operation, type: record.type, status: res.statusCode, errors: record.errorCodes.length ? record.errorCodes : undefined };
    if (record.errorCodes.length) options.logger?.info(fields, 'graphql request answered errors');
    else options.logger?.debug(fields, 'graphql request');
  };

  httpServer.on('request', (req, res) => {
    // Nearly every request is a POST to exactly /graphql: skip parsing a URL for those (any other
    // form, including a query string, dot segments or escapes, is parsed as before).
    const path = req.url === '/graphql' ? '/graphql' : new URL(req.url ?? '/', 'http://localhost').pathname;
    const handle = async () => {
      if (path === '/graphql') return graphqlObserved(req, res);
      if (await serveOpsRoute(path, req, res, ops)) return;
      const prefix = Object.keys(routes).find((p) => path === p || path.startsWith(`${p}/`));
      if (prefix) return routes[prefix]!(req, res);
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `No route for ${path}; GraphQL is at /graphql` } }));
    };
    // A proxy's request id (nginx's $req_id, ...) when it looks like one, else our own; sent back
    // so that a client's report can be matched to the log lines.
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    withLogContext({ requestId }, handle).catch((err: unknown) => {
      log(`request failed: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const sweeper =
    services.blobs && options.uploadSweep?.intervalMs !== 0 ? startUploadSweeper(services.db, services.blobs, { ...options.uploadSweep, log }) : null;
  const hostForUrl = options.host === '0.0.0.0' ? 'localhost' : options.host;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${port}/graphql`,
    wsUrl: `ws://${hostForUrl}:${port}/graphql`,
    port,
    // Connections first (HTTP and WebSocket, bounded by stopGraceMs), then Apollo itself.
    stop: () =>
      (stopped ??= (async () => {
        await sweeper?.stop();
        await stopHttp();
        await wsCleanup.dispose();
        await apollo.stop();
      })()),
  };
}

function upgradeCookie(extra: unknown): CookieTransport | undefined {
  const request = (extra as { request?: IncomingMessage } | undefined)?.request;
  return request ? { headers: request.headers, method: 'WEBSOCKET' } : undefined;
}

function upgradeRequest(extra: unknown): ApiContext['request'] {
  const request = (extra as { request?: IncomingMessage } | undefined)?.request;
  if (!request) return undefined;
  const userAgent = request.headers['user-agent'];
  return { ip: clientAddress(request), userAgent: typeof userAgent === 'string' ? userAgent : undefined };
}

function lowerKeys(params: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}
