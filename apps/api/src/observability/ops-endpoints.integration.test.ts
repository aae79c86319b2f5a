// What an operator reads from an API process: /readyz follows the database (cut through a TCP
// proxy, then restored), /metrics counts GraphQL latency by operation and errors by code, and
// every request writes a JSON log line with its request id and factory. Real HTTP, a real
// PostgreSQL behind the proxy, pino writing real JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbClient, pingDatabase, type Db } from '@gansight/db';
import { startToggleProxy, type ToggleProxy } from '@gansight/db/testing';
import { createLogger } from '@gansight/telemetry';
import { startTestApi, type TestApi, type TestFactory } from '../testing';

let t: TestApi;
let proxy: ToggleProxy;
let proxiedDb: Db;
let factory: TestFactory;
const lines: string[] = [];
let origin: string;

beforeAll(async () => {
  t = await startTestApi({
    logger: createLogger({ level: 'debug', format: 'json', role: 'api', sink: { write: (line: string) => void lines.push(line) } }),
    services: {
      // Read once per probe, after the proxy below exists.
      healthChecks: { database: () => pingDatabase(proxiedDb), storage: async () => void (await t.blobs.exists('factories/_health/probe')) },
    },
  });
  const url = new URL(t.database.url);
  proxy = await startToggleProxy(Number(url.port));
  url.port = String(proxy.port);
  proxiedDb = createDbClient(url.toString(), { maxConnections: 2 });
  factory = await t.createFactory('Observed Works');
  origin = new URL(t.api.url).origin;
});
afterAll(async () => {
  await proxiedDb?.$disconnect();
  await proxy?.close();
  await t?.stop();
});

async function readyz() {
  const res = await fetch(`${origin}/readyz`);
  return { status: res.status, body: (await res.json()) as { ready: boolean; reason?: string } };
}

async function metrics(): Promise<string> {
  const res = await fetch(`${origin}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of one series, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('API health endpoints', () => {
  it('/healthz answers while the process serves; /readyz turns 503 with a reason while the database is unreachable, and back', async () => {
    expect(await readyz()).toEqual({ status: 200, body: expect.objectContaining({ ready: true }) });

    proxy.setDown(true);
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ ready: false, reason: 'database is unavailable' });
    // Alive all the same: restarting the pod would not bring the database back.
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);

    proxy.setDown(false);
    let back = await readyz();
    for (let i = 0; i < 20 && back.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
      back = await readyz();
    }
    expect(back).toEqual({ status: 200, body: expect.objectContaining({ ready: true }) });
  });
});

describe('API metrics', () => {
  it('time each GraphQL operation by name and count errors by code, with process metrics beside them', async () => {
    const auth = { token: factory.keyToken };
    for (let i = 0; i < 3; i++) expect((await t.gql('query WhoAmI { me { kind } }', {}, auth)).status).toBe(200);
    const missing = await t.gql('query OneInspection($id: ID!) { inspection(id: $id) { id } }', { id: 'no-such-inspection' }, auth);
    expect(missing.json.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await t.gql('{ me { kind } }', {}, { token: 'gs_not_a_real_key' });

    const text = await metrics();
    expect(sample(text, 'gansight_graphql_request_duration_seconds_count{operation="WhoAmI",type="query"}')).toBe(3);
    expect(sample(text, 'gansight_graphql_request_duration_seconds_bucket{le="+Inf",operation="WhoAmI",type="query"}')).toBe(3);
    expect(sample(text, 'gansight_graphql_errors_total{code="NOT_FOUND",operation="OneInspection"}')).toBe(1);
    // Refused before any operation was resolved: counted under `other`, never under a guessed name.
    expect(text).toMatch(/^gansight_graphql_errors_total\{code="(UNAUTHENTICATED|FORBIDDEN)",operation="other"\} 1$/m);
    expect(sample(text, 'gansight_backend_info{role="api",backend="none",version="test"}')).toBe(1);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    // No tenant data in any label.
    expect(text).not.toContain(factory.factoryId);
  });

  it('label at most 100 operation names: later new names count as `other`', async () => {
    const auth = { token: factory.keyToken };
    for (let i = 0; i < 110; i++) await t.gql(`query Probe${i} { __typename }`, {}, auth);
    const names = new Set([...(await metrics()).matchAll(/^gansight_graphql_request_duration_seconds_count\{operation="([^"]+)"/gm)].map((m) => m[1]));
    expect(names.size).toBeLessThanOrEqual(101);
    expect(names.has('other')).toBe(true);
    expect(names.has('Probe109')).toBe(false);
  });
});

describe('API logs', () => {
  it('write one JSON line per GraphQL request with its request id and factory', async () => {
    const res = await fetch(t.api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${factory.keyToken}`, 'x-request-id': 'line-7-req-42' },
      body: JSON.stringify({ query: 'query WhoAmI { me { kind } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('line-7-req-42');
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.find((e) => e.requestId === 'line-7-req-42')).toMatchObject({
      level: 'debug', msg: 'graphql request', role: 'api', factoryId: factory.factoryId, operation: 'WhoAmI', status: 200,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // A request id that is not a plain token is replaced by one of ours.
    const odd = await fetch(t.api.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'a b<script>' }, body: '{"query":"{ __typename }"}' });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
