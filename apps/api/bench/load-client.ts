// The load generator of read-latency.ts, run as a child process of its own so that making
// requests and timing them never shares an event loop with the API under test.
// It gets its job as JSON in argv[2] and prints one JSON line of results.
import http from 'node:http';

export interface LoadJob {
  url: string;
  /** Several API processes behind no balancer: client i sends to urls[i % length] (default: [url]). */
  urls?: string[];
  token: string;
  clients: number;
  seconds: number;
  /** Seconds of requests before timing starts (JIT, connection set-up, caches). */
  warmupSeconds: number;
  /** 'by-id': inspection(id) for a random id bench1..bench<rows>; 'trends': a 30-day defectTrends. */
  read: 'by-id' | 'trends';
  rows: number;
  productId: string;
}

export interface LoadResult {
  requests: number;
  errors: number;
  firstError?: string;
  rps: number;
  p50ms: number;
  p90ms: number;
  p99ms: number;
  maxms: number;
  meanms: number;
  /** Clients that completed at least one request after the warm-up (all, unless some starve). */
  clientsServed: number;
  /** How long until every client had its first answer (the window opens after it). */
  warmupMs: number;
  /** CPU milliseconds this load generator spent during the timed window (user + system). */
  clientCpuMs: number;
}

const job = JSON.parse(process.argv[2]!) as LoadJob;
const targets = (job.urls?.length ? job.urls : [job.url]).map((u) => new URL(u));
const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients });
const headers = { 'content-type': 'application/json', authorization: `Bearer ${job.token}` };

function body(): string {
  if (job.read === 'by-id') {
    return JSON.stringify({
      query: 'query($id: ID!) { inspection(id: $id) { id status verdict normalizedScore threshold station createdAt reconstructionUrl residualUrl } }',
      variables: { id: `bench${1 + Math.floor(Math.random() * job.rows)}` },
    });
  }
  const to = new Date();
  const from = new Date(to.getTime() - 30 * 86_400_000);
  return JSON.stringify({
    query: 'query($f: DateTime!, $t: DateTime!, $p: ID) { defectTrends(from: $f, to: $t, bucket: DAY, productId: $p) { bucketStart total fail } }',
    variables: { f: from.toISOString(), t: to.toISOString(), p: job.productId },
  });
}

function post(payload: string, url: URL): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const latencies: number[] = [];
let errors = 0;
let firstError: string | undefined;
// The timed window opens once the warm-up time has passed AND every client has had its first
// answer: the first burst of N requests on a cold server is slow for reasons a running server
// does not have (JIT, caches), and a client still waiting on it must not hide in the window.
const started = performance.now();
const warmupEnds = started + job.warmupSeconds * 1000;
let warmedClients = 0;
let measureFrom = Infinity;
let until = Infinity;
let cpuAtOpen = process.cpuUsage();
let cpuInWindow: NodeJS.CpuUsage | undefined = undefined as NodeJS.CpuUsage | undefined;
// The parent reads these lines on stderr to sample the server's CPU time over the same window.
function openWindowIfWarm(now: number) {
  if (measureFrom === Infinity && warmedClients === job.clients && now >= warmupEnds) {
    measureFrom = now;
    until = now + job.seconds * 1000;
    cpuAtOpen = process.cpuUsage();
    process.stderr.write('window-open\n');
    setTimeout(() => {
      cpuInWindow = process.cpuUsage(cpuAtOpen);
      process.stderr.write('window-closed\n');
    }, job.seconds * 1000);
  }
}

let clientsServed = 0;
let completedInWindow = 0;
async function client(_: unknown, index: number) {
  const url = targets[index % targets.length]!;
  let warmed = false;
  let served = false;
  while (performance.now() < until) {
    const t0 = performance.now();
    let failed: string | undefined;
    try {
      const res = await post(body(), url);
      const json = JSON.parse(res.text) as { errors?: { message: string }[] };
      if (res.status !== 200 || json.errors) failed = `${res.status} ${json.errors?.[0]?.message ?? ''}`;
    } catch (err) {
      failed = String(err);
    }
    // Every request that ends after the warm-up counts with its whole latency, including one
    // that started during the warm-up (skipping those would hide the slowest requests).
    const t1 = performance.now();
    if (!warmed) warmedClients++;
    warmed = true;
    openWindowIfWarm(t1);
    if (t1 <= measureFrom) continue; // warm-up, and the answer that opened the window
    latencies.push(t1 - t0);
    if (t1 <= until) completedInWindow++;
    if (!served) clientsServed++;
    served = true;
    if (failed) {
      errors++;
      firstError ??= failed;
    }
  }
}

await Promise.all(Array.from({ length: job.clients }, client));
// Clients stop once `until` passes, so the window's timer has fired by now (or fires at once).
while (!cpuInWindow) await new Promise((r) => setTimeout(r, 5));
agent.destroy();
latencies.sort((a, b) => a - b);
const pct = (p: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN).toFixed(1));
const result: LoadResult = {
  requests: latencies.length,
  errors,
  ...(firstError ? { firstError } : {}),
  rps: Math.round(completedInWindow / job.seconds),
  p50ms: pct(0.5),
  p90ms: pct(0.9),
  p99ms: pct(0.99),
  maxms: Number((latencies.at(-1) ?? NaN).toFixed(1)),
  meanms: Number((latencies.reduce((a, b) => a + b, 0) / latencies.length).toFixed(1)),
  clientsServed,
  warmupMs: Math.round(measureFrom - started),
  clientCpuMs: Math.round((cpuInWindow.user + cpuInWindow.system) / 1000),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
