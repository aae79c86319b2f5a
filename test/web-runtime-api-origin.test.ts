import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@gansight/cli';
import { repoRoot } from './support/run-cli';

// The dashboard image is built once (`next build`, as infra/Dockerfile does) and deployed
// against whichever API its environment names when it starts: /graphql over HTTP, the
// graphql-ws socket on the same path, and /blobs (presigned uploads) reach that API, not the
// one that happened to be set at build time (ADR 0062).
const webDir = path.join(repoRoot, 'apps/web');
const nextBin = path.join(repoRoot, 'node_modules/next/dist/bin/next');

interface Seen {
  method: string;
  url: string;
  body: string;
  upgrade?: string;
}

let api: http.Server;
let web: ChildProcess;
let webUrl: string;
const seen: Seen[] = [];

/** An HTTP server standing in for the API: it records what arrives and accepts WebSocket upgrades. */
async function startRecordingApi(): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({ method: req.method!, url: req.url!, body: Buffer.concat(chunks).toString() });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: { answeredBy: 'runtime-api' } }));
  });
  server.on('upgrade', (req: IncomingMessage, socket) => {
    seen.push({ method: req.method!, url: req.url!, body: '', upgrade: req.headers.upgrade });
    // Enough of a handshake for the proxy to pass the 101 back; the protocol itself is the API's.
    socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

beforeAll(async () => {
  // Built with an API origin where nothing listens: a build that kept it would fail every request.
  const built = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: webDir,
    env: { ...process.env, GANSIGHT_API_ORIGIN: 'http://127.0.0.1:9', NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  expect(built.status, built.stderr + built.stdout).toBe(0);
  api = await startRecordingApi();
  const port = await freePort();
  web = spawn(process.execPath, [nextBin, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: webDir,
    env: { ...process.env, GANSIGHT_API_ORIGIN: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  webUrl = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    web.stdout!.on('data', (d: Buffer) => /Ready in/.test(d.toString()) && resolve());
    web.once('exit', (code) => reject(new Error(`next start exited with ${code}`)));
  });
});

afterAll(async () => {
  if (web && web.exitCode === null) {
    web.kill('SIGTERM');
    await once(web, 'exit');
  }
  api?.close();
});

describe('a production dashboard build', () => {
  it('sends /graphql to the API origin set when it starts, not when it was built', async () => {
    const res = await fetch(`${webUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { answeredBy: 'runtime-api' } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/graphql', body: '{"query":"{ __typename }"}' });
  });

  it('passes the subscription socket (a WebSocket upgrade on /graphql) to that API', async () => {
    const req = http.request(`${webUrl}/graphql`, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'graphql-transport-ws' },
    });
    req.end();
    const [res, socket] = (await once(req, 'upgrade')) as [IncomingMessage, import('node:net').Socket];
    socket.destroy();
    expect(res.statusCode).toBe(101);
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/graphql', upgrade: 'websocket' });
  });

  it('passes presigned uploads on /blobs, bodies over 10 MB whole, to that API', async () => {
    const body = Buffer.alloc(12_000_000, 7);
    const res = await fetch(`${webUrl}/blobs/f1/uploads/p1/u1?method=PUT&sig=s`, { method: 'PUT', headers: { 'content-type': 'image/png' }, body });
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', url: '/blobs/f1/uploads/p1/u1?method=PUT&sig=s' });
    expect(seen.at(-1)!.body.length).toBe(body.length);
  });
});
