import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { bootstrapFactory, revokeApiKey } from '@gansight/db';
import { createTestDatabase, type TestDatabase } from '@gansight/db/testing';
import { generateApiKey, hashPassword } from '@gansight/contracts';
import { startApiServer, type RunningApiServer } from './index';
import { ApiKeyCache } from './modules/auth/api-key-cache';

let api: RunningApiServer;
let database: TestDatabase;
let storageUp = true;

async function createFactoryWithKey(name: string) {
  const key = generateApiKey();
  const ids = await bootstrapFactory(database.db, {
    name,
    admin: { email: `admin@${name.toLowerCase().replace(/\W+/g, '')}.example`, passwordHash: await hashPassword('long enough password') },
    apiKey: { name: 'line 1', prefix: key.prefix, secretHash: key.secretHash, scopes: ['results:read', 'images:write'] },
  });
  return { ...ids, token: key.token };
}

beforeAll(async () => {
  database = await createTestDatabase();
  api = await startApiServer({
    host: '127.0.0.1',
    port: 0,
    introspection: false,
    maxBodyBytes: 10_000,
    services: {
      version: 'test',
      startedAt: Date.now(),
      db: database.db,
      // Keys are revoked below straight in the database, as another replica would; the cache's
      // window for that is tested in modules/auth/api-key-cache.integration.test.ts.
      apiKeyCache: new ApiKeyCache({ ttlMs: 0 }),
      healthChecks: {
        database: async () => undefined,
        storage: async () => {
          if (!storageUp) throw new Error('connect ECONNREFUSED 127.0.0.1:9000');
        },
      },
    },
  });
});
afterAll(async () => {
  await api.stop();
  await database.drop();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

describe('API server', () => {
  it('answers the health query with every dependency check', async () => {
    storageUp = true;
    const { status, json } = await post({ query: '{ health { status version checks { name ok } } }' });
    expect(status).toBe(200);
    expect(json.data.health.status).toBe('OK');
    expect(json.data.health.checks).toEqual([
      { name: 'database', ok: true },
      { name: 'storage', ok: true },
    ]);
  });

  it('reports DEGRADED and names the failing dependency, but not the reason (hosts, ports: the log has it)', async () => {
    storageUp = false;
    const { json } = await post({ query: '{ health { status checks { name ok error } } }' });
    expect(json.data.health.status).toBe('DEGRADED');
    expect(json.data.health.checks[1]).toEqual({ name: 'storage', ok: false, error: 'storage is unavailable' });
    storageUp = true;
  });

  it('rejects malformed GraphQL with a stable error code', async () => {
    const { status, json } = await post({ query: '{ health { ' });
    expect(status).toBe(400);
    expect(json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('rejects invalid JSON and oversized bodies without running anything', async () => {
    expect((await post('{not json')).json.errors[0].extensions.code).toBe('BAD_REQUEST');
    const big = await post({ query: `{ health { status } } # ${'x'.repeat(20_000)}` });
    expect(big.status).toBe(413);
    expect(big.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('routes by path whatever the form of the URL: query strings, GET queries, health and unknown paths', async () => {
    const base = api.url.replace(/\/graphql$/, '');
    const get = await fetch(`${api.url}?query=${encodeURIComponent('{ health { status } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).data.health.status).toBe('OK');
    const withSearch = await fetch(`${api.url}?trace=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ health { status } }' }),
    });
    expect(((await withSearch.json()) as any).data.health.status).toBe('OK');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
    const unknown = await fetch(`${base}/graphqlx`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.code).toBe('NOT_FOUND');
  });

  it('tells every cache not to keep GraphQL answers, successful or not', async () => {
    const answers = [
      await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ health { status } }' }) }),
      await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { scopes } }' }) }),
      await fetch(`${api.url}?query=${encodeURIComponent('{ health { status } }')}`, { headers: { 'apollo-require-preflight': 'true' } }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 401, 200]);
    for (const r of answers) expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('hides introspection when configured for production', async () => {
    const { json } = await post({ query: '{ __schema { types { name } } }' });
    expect(json.errors[0].message).toMatch(/introspection/i);
  });

  it('resolves an API key to its factory and scopes, and refuses bad or revoked keys', async () => {
    const a = await createFactoryWithKey('Acme Tiles');
    const b = await createFactoryWithKey('Borealis Solar');
    const meA = await post({ query: '{ me { kind factory { id name } scopes } }' }, { authorization: `Bearer ${a.token}` });
    expect(meA.json.data.me).toEqual({ kind: 'API_KEY', factory: { id: a.factoryId, name: 'Acme Tiles' }, scopes: ['results:read', 'images:write'] });
    const meB = await post({ query: '{ me { factory { id } } }' }, { 'x-api-key': b.token });
    expect(meB.json.data.me.factory.id).toBe(b.factoryId);

    const anonymous = await post({ query: '{ me { kind } }' });
    expect(anonymous.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = await post({ query: '{ me { kind } }' }, { authorization: `Bearer ${a.token.slice(0, -4)}beef` });
    expect(forged.status).toBe(401);
    expect(forged.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');

    await revokeApiKey(database.db, a.factoryId, a.apiKeyId);
    const revoked = await post({ query: '{ me { kind } }' }, { authorization: `Bearer ${a.token}` });
    expect(revoked.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(revoked.json)).not.toContain(a.factoryId);
  });

  it('serves GraphQL over WebSocket on the same port', async () => {
    const client = createClient({ url: api.wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
    const result = await new Promise<any>((resolve, reject) => {
      let value: unknown;
      client.subscribe({ query: '{ health { status } }' }, {
        next: (v) => (value = v),
        error: reject,
        complete: () => resolve(value),
      });
    });
    await client.dispose();
    expect(result.data.health.status).toBe('OK');
  });

  it('hides introspection over WebSocket too', async () => {
    const client = createClient({ url: api.wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
    const errors = await new Promise<any>((resolve) => {
      client.subscribe({ query: '{ __schema { types { name } } }' }, { next: () => resolve(null), error: resolve, complete: () => resolve(null) });
    });
    await client.dispose();
    expect(JSON.stringify(errors)).toMatch(/introspection/i);
  });
});
