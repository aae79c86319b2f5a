// Issue 13 item 5: with introspection off, errors do not spell out the schema, and when the
// database is unreachable, public answers name neither the driver's message nor its host/port.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createDbClient, pingDatabase, type Db } from '@gansight/db';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../testing/test-api';
import { startApiServer, type RunningApiServer } from '../server';

let t: TestApi;
let acme: TestFactory;

beforeAll(async () => {
  t = await startTestApi({ introspection: false });
  acme = await t.createFactory('Acme Tiles');
});
afterAll(() => t.stop());

describe('with introspection off', () => {
  it('answers a misspelt field, argument or enum value without suggesting the schema', async () => {
    const field = await t.gql('{ produc { id } }', {}, { token: acme.keyToken });
    expect(field.json.errors![0]!.message).toBe('Cannot query field "produc" on type "Query".');
    const argument = await t.gql('{ products(frist: 1) { edges { node { id } } } }', {}, { token: acme.keyToken });
    expect(argument.json.errors![0]!.message).not.toMatch(/Did you mean|"first"/);
    const variable = await t.gql(
      'query($b: TrendBucket!) { defectTrends(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", bucket: $b) { total } }',
      { b: 'DY' },
      { token: acme.keyToken },
    );
    expect(errorCode(variable)).toBe('BAD_USER_INPUT');
    expect(variable.json.errors![0]!.message).not.toMatch(/Did you mean|"DAY"/);
  });

  it('does not suggest over WebSocket either', async () => {
    const client = createClient({ url: t.api.wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: { authorization: `Bearer ${acme.keyToken}` } });
    try {
      const errors = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: '{ produc { id } }' }, { next: () => resolve(null), error: resolve, complete: () => resolve(null) });
      });
      expect(JSON.stringify(errors)).toMatch(/Cannot query field/);
      expect(JSON.stringify(errors)).not.toMatch(/Did you mean/);
    } finally {
      await client.dispose();
    }
  });
});

describe('with the database unreachable', () => {
  let api: RunningApiServer;
  let db: Db;
  let port: number;
  const logged: string[] = [];

  beforeAll(async () => {
    // A port nothing listens on: taken from the OS, then released.
    port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    db = createDbClient(`postgresql://gansight:secret@127.0.0.1:${port}/gansight`, { maxConnections: 2 });
    api = await startApiServer({
      host: '127.0.0.1',
      port: 0,
      introspection: false,
      log: (line) => logged.push(line),
      services: { version: 'test', startedAt: Date.now(), db, healthChecks: { database: () => pingDatabase(db) } },
    });
  });
  afterAll(async () => {
    await api.stop();
    await db.$disconnect();
  });

  const post = async (query: string, headers: Record<string, string> = {}) => {
    const res = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
    return { status: res.status, text: await res.text() };
  };
  const leaks = (text: string) => [/prisma/i, /ECONNREFUSED/, /127\.0\.0\.1/, new RegExp(String(port)), /gansight:secret/, /postgres/i].filter((p) => p.test(text));

  it('says which dependency is down in health, but not why', async () => {
    const health = await post('{ health { status checks { name ok error } } }');
    expect(JSON.parse(health.text).data.health).toEqual({
      status: 'DEGRADED',
      checks: [{ name: 'database', ok: false, error: 'database is unavailable' }],
    });
    expect(leaks(health.text)).toEqual([]);
    // The operator's log has the reason, once.
    await post('{ health { status } }');
    expect(logged.filter((l) => l.startsWith('health: database failed'))).toHaveLength(1);
  });

  it('answers sign-in and authenticated requests with a bare internal error', async () => {
    const login = await post('mutation { login(email: "ops@acme.example", password: "a long password") { token } }');
    const keyed = await post('{ me { kind } }', { authorization: `Bearer gsk_0123456789ab_${'0'.repeat(48)}` });
    for (const res of [login, keyed]) {
      expect(JSON.parse(res.text).errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(leaks(res.text)).toEqual([]);
    }
  });
});
