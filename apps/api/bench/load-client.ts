// The load generator of read-latency.ts, run as a child process of its own so that making
// requests and timing them never shares an event loop with the API under test.
// It gets its job as JSON in argv[2] and prints one JSON line of results.
import http from 'node:http';

export interface LoadJob {
  url: string;
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
}

const job = JSON.parse(process.argv[2]!) as LoadJob;
const url = new URL(job.url);
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

function post(payload: string): Promise<{ status: number; text: string }> {
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
const started = performance.now();
const measureFrom = started + job.warmupSeconds * 1000;
const until = measureFrom + job.seconds * 1000;

async function client() {
  while (performance.now() < until) {
    const t0 = performance.now();
    let failed: string | undefined;
    try {
      const res = await post(body());
      const json = JSON.parse(res.text) as { errors?: { message: string }[] };
      if (res.status !== 200 || json.errors) failed = `${res.status} ${json.errors?.[0]?.message ?? ''}`;
    } catch (err) {
      failed = String(err);
    }
    if (t0 < measureFrom) continue;
    latencies.push(performance.now() - t0);
    if (failed) {
      errors++;
      firstError ??= failed;
    }
  }
}

await Promise.all(Array.from({ length: job.clients }, client));
agent.destroy();
latencies.sort((a, b) => a - b);
const pct = (p: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN).toFixed(1));
const result: LoadResult = {
  requests: latencies.length,
  errors,
  ...(firstError ? { firstError } : {}),
  rps: Math.round(latencies.length / job.seconds),
  p50ms: pct(0.5),
  p90ms: pct(0.9),
  p99ms: pct(0.99),
  maxms: Number((latencies.at(-1) ?? NaN).toFixed(1)),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
