// Verified API keys are cached per process: a busy key costs no key lookups and at most one
// lastUsedAt write a minute, a revoke through this process takes effect at the next request,
// and another replica notices within its cache TTL (docs/adr/0046).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@gansight/db';
import { startApiServer, type RunningApiServer } from '../../server';
import { startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { ApiKeyCache } from './api-key-cache';

let t: TestApi;
let acme: TestFactory;
let admin: string;
let replica: RunningApiServer;
const calls: string[] = [];
const ME = '{ me { kind apiKeyName } }';
const CREATE = 'mutation($n: String!) { createApiKey(name: $n, scopes: ["results:read"]) { token apiKey { id } } }';

beforeAll(async () => {
  t = await startTestApi({
    wrapDb: (db) =>
      db.$extends({
        query: {
          $allOperations: ({ model, operation, args, query }) => {
            calls.push(`${model}.${operation}`);
            return query(args);
          },
        },
      }) as unknown as Db,
  });
  acme = await t.createFactory('Acme Cache');
  admin = await t.login(acme.adminEmail);
  // A second API replica on the same database, with a short TTL so the test need not wait 10 s.
  replica = await startApiServer({
    host: '127.0.0.1',
    port: 0,
    introspection: false,
    services: { version: 'test', startedAt: Date.now(), db: t.database.db, healthChecks: {}, apiKeyCache: new ApiKeyCache({ ttlMs: 1_500 }) },
  });
});
afterAll(async () => {
  await replica?.stop();
  await t?.stop();
});

async function me(url: string, token: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: ME }) });
  return { status: res.status, body: (await res.json()) as any };
}

async function newKey(name: string): Promise<{ token: string; id: string }> {
  const res = await t.gql(CREATE, { n: name }, { token: admin });
  return { token: res.json.data!.createApiKey.token, id: res.json.data!.createApiKey.apiKey.id };
}

describe('verified API key cache', () => {
  it('reads a busy key once and writes its lastUsedAt once', async () => {
    const key = await newKey('busy station');
    calls.length = 0;
    for (let i = 0; i < 20; i++) expect((await me(t.api.url, key.token)).body.data.me.apiKeyName).toBe('busy station');
    expect(calls.filter((c) => c === 'ApiKey.findUnique')).toHaveLength(1);
    // 20 by the `me` resolver (it shows the factory), 1 by authentication.
    expect(calls.filter((c) => c === 'Factory.findUnique')).toHaveLength(21);
    await new Promise((r) => setTimeout(r, 200)); // the write is not awaited by the request
    expect(calls.filter((c) => c === 'ApiKey.updateMany')).toHaveLength(1);
    const row = await t.database.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it('answers 50 simultaneous first requests of a new key with one key lookup', async () => {
    const key = await newKey('line start');
    calls.length = 0;
    const answers = await Promise.all(Array.from({ length: 50 }, () => me(t.api.url, key.token)));
    expect(answers.map((a) => a.body.data.me.apiKeyName)).toEqual(Array(50).fill('line start'));
    expect(calls.filter((c) => c === 'ApiKey.findUnique')).toHaveLength(1);
  });

  it('refuses a revoked key at the next request to the same process', async () => {
    const key = await newKey('revoked here');
    expect((await me(t.api.url, key.token)).status).toBe(200); // now cached
    await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.id }, { token: admin });
    const after = await me(t.api.url, key.token);
    expect(after.status).toBe(401);
    expect(after.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('another replica refuses it once its cache entry expires', async () => {
    const key = await newKey('revoked elsewhere');
    expect((await me(replica.url, key.token)).status).toBe(200); // cached by the replica
    await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.id }, { token: admin });
    expect((await me(t.api.url, key.token)).status).toBe(401);
    // The documented window: the replica trusts its entry until the TTL runs out...
    expect((await me(replica.url, key.token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_600));
    // ...then reads the row again and refuses.
    expect((await me(replica.url, key.token)).status).toBe(401);
  });

  it('checks the secret of a cached key on every request', async () => {
    const key = await newKey('secret check');
    expect((await me(t.api.url, key.token)).status).toBe(200);
    const forged = `${key.token.slice(0, -4)}0000` === key.token ? `${key.token.slice(0, -4)}1111` : `${key.token.slice(0, -4)}0000`;
    expect((await me(t.api.url, forged)).status).toBe(401);
  });
});
