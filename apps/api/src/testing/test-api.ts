// Test harness for integration suites: a real PostgreSQL database of its own, real fs blob
// storage in a temp dir (with the signed-URL handler mounted like the launcher does), and the
// API on a loopback port. Nothing is mocked.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bootstrapFactory, createDbClient, type Db } from '@gansight/db';
import { createEventPublisher, createEventSubscriber, type EventInput, type EventSubscriber } from '@gansight/events';
import { createTestDatabase, type TestDatabase } from '@gansight/db/testing';
import { FsBlobStore, S3BlobStore, type BlobStore } from '@gansight/storage';
import type { TestS3Server } from '@gansight/storage/testing';
import { generateApiKey, hashPassword, API_KEY_SCOPES } from '@gansight/contracts';
import { createBlobRoute } from '../modules/images/blob-route';
import type { ApiServices } from '../context';
import { startApiServer, type ApiServerOptions, type RunningApiServer } from '../server';

export interface TestApi {
  api: RunningApiServer;
  /** With `events: true`: publishes like a worker (NOTIFY on the test database). */
  publish(event: EventInput): Promise<void>;
  /** With `events: true`: how many event subscriptions the API has opened so far. */
  subscriptions(): number;
  database: TestDatabase;
  blobs: BlobStore;
  /** Directory of the fs blob store (for a worker process sharing it; unused with `s3`). */
  blobRoot: string;
  /** POSTs a GraphQL request; returns status, parsed body and headers. */
  gql(query: string, variables?: Record<string, unknown>, auth?: Auth): Promise<GqlResponse>;
  /** A factory with an admin (password PASSWORD) and an all-scopes API key. */
  createFactory(name: string): Promise<TestFactory>;
  login(email: string, password?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface Auth {
  token?: string;
  factoryId?: string;
  headers?: Record<string, string>;
}

export interface GqlResponse {
  status: number;
  json: { data?: any; errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: unknown }[] };
  headers: Headers;
}

export interface TestFactory {
  factoryId: string;
  adminUserId: string;
  adminEmail: string;
  apiKeyId: string;
  /** Holds every scope. */
  keyToken: string;
}

export const PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

/**
 * `wrapDb` lets a suite observe the Prisma operations the API makes; `onStatement` hears every
 * SQL statement the API's own connection pool sends to PostgreSQL (for N+1 bounds).
 */
export async function startTestApi(
  options: Partial<Omit<ApiServerOptions, 'services'>> & {
    wrapDb?: (db: Db) => Db;
    onStatement?: (sql: string) => void;
    services?: Partial<ApiServices>;
    events?: boolean;
    /** Blobs in a bucket of this S3 server instead of on disk. */
    s3?: TestS3Server;
  } = {},
): Promise<TestApi> {
  const database = await createTestDatabase();
  const observed = options.onStatement ? createDbClient(database.url, { maxConnections: 5, onStatement: options.onStatement }) : null;
  const apiDb = observed ?? database.db;
  // Real PostgreSQL NOTIFY/LISTEN, as between workers and API replicas.
  const subscriber = options.events ? createEventSubscriber({ connectionString: database.url }) : null;
  const publisher = options.events ? createEventPublisher({ connectionString: database.url }) : null;
  await subscriber?.ready();
  let subscriptions = 0;
  const events: EventSubscriber | undefined = subscriber
    ? {
        ready: () => subscriber.ready(),
        subscribe: (filter, listener) => (subscriptions++, subscriber.subscribe(filter, listener)),
        onReconnect: (callback) => subscriber.onReconnect(callback),
        get connected() {
          return subscriber.connected;
        },
        close: () => subscriber.close(),
      }
    : undefined;
  const root = await mkdtemp(path.join(tmpdir(), 'gansight-api-'));
  const secret = 'test-presign-secret-0123456789';
  // The port is known only once listening; the store reads presignBaseUrl when it signs.
  const storeOptions = { root, presignSecret: secret, presignBaseUrl: '' };
  const blobs: BlobStore = options.s3
    ? new S3BlobStore({
        endpoint: options.s3.endpoint,
        accessKey: options.s3.accessKey,
        secretKey: options.s3.secretKey,
        bucket: `gansight-api-${Math.random().toString(36).slice(2, 10)}`,
        region: 'us-east-1',
        presignSecret: secret,
        get presignBaseUrl() {
          return storeOptions.presignBaseUrl;
        },
      })
    : new FsBlobStore(storeOptions);
  await blobs.ensureReady();
  const db = options.wrapDb?.(apiDb) ?? apiDb;
  const api = await startApiServer({
    host: '127.0.0.1',
    port: 0,
    introspection: false,
    ...options,
    // As the launcher mounts it: signed URLs, single-use uploads held to their byte limit.
    routes: { '/blobs': createBlobRoute({ blobs, db, secret }) },
    services: { version: 'test', startedAt: Date.now(), db, healthChecks: {}, blobs, events, ...options.services },
  });
  storeOptions.presignBaseUrl = `${new URL(api.url).origin}/blobs`;

  const gql: TestApi['gql'] = async (query, variables = {}, auth = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...auth.headers };
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.factoryId) headers['x-factory-id'] = auth.factoryId;
    const res = await fetch(api.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: res.status, json: (await res.json()) as GqlResponse['json'], headers: res.headers };
  };

  return {
    api,
    publish: async (event) => {
      if (!publisher) throw new Error('start the test API with { events: true } to publish events');
      await publisher.publish(event);
    },
    subscriptions: () => subscriptions,
    database,
    blobs,
    blobRoot: root,
    gql,
    async createFactory(name) {
      const key = generateApiKey();
      const adminEmail = `admin@${name.toLowerCase().replace(/\W+/g, '')}.example`;
      passwordHash ??= hashPassword(PASSWORD);
      const ids = await bootstrapFactory(database.db, {
        name,
        admin: { email: adminEmail, passwordHash: await passwordHash },
        apiKey: { name: 'all scopes', prefix: key.prefix, secretHash: key.secretHash, scopes: [...API_KEY_SCOPES] },
      });
      return { factoryId: ids.factoryId, adminUserId: ids.adminUserId, adminEmail, apiKeyId: ids.apiKeyId, keyToken: key.token };
    },
    async login(email, password = PASSWORD) {
      const res = await gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });
      if (!res.json.data?.login) throw new Error(`login failed: ${JSON.stringify(res.json.errors)}`);
      return res.json.data.login.token as string;
    },
    async stop() {
      await api.stop();
      await blobs.close();
      await subscriber?.close();
      await publisher?.close();
      await observed?.$disconnect();
      await database.drop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The first error's code, for terse assertions. */
export function errorCode(res: GqlResponse): string | undefined {
  return res.json.errors?.[0]?.extensions?.code;
}
