// `gansight start` as a user runs it: a child process without a terminal, on its own data folder,
// plus what tests and the load script do with it (a factory from the CLI, a product with images,
// timed queries). Shared by stack-process.integration.test.ts and bench/inspections-during-training.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { floatImageToPng } from '@gansight/imaging';
import { CreateProductDocument, uploadImage, type GansightClient } from '@gansight/client';

const BIN = new URL('../../bin/gansight.js', import.meta.url).pathname;
export const REPO_ROOT = new URL('../../../../', import.meta.url).pathname;

export interface StackProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first. */
  waitForLine(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
}

/** Runs `gansight <args>` (default `start`) with `env` on top of this process's environment. */
/** `detached`: in a process group of its own, as a terminal runs a foreground job (Ctrl-C signals the whole group). */
export function spawnGansight(env: Record<string, string>, o: { args?: string[]; argv0?: string; detached?: boolean } = {}): StackProcess {
  const child = spawn(process.execPath, [BIN, ...(o.args ?? ['start'])], {
    cwd: REPO_ROOT,
    // NODE_ENV=test changes Apollo's and graphile-worker's behaviour; a user's shell has none.
    env: { ...process.env, NODE_ENV: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(o.argv0 ? { argv0: o.argv0 } : {}),
    ...(o.detached ? { detached: true } : {}),
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal, at: Date.now() });
      for (const l of listeners) l();
    }),
  );
  return {
    child,
    output: () => out,
    exited,
    waitForLine: (pattern, ms = 240_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no line matching ${pattern} within ${ms / 1000} s:\n${out}`)), ms);
        const check = () => {
          const m = out.match(pattern);
          if (m) return finish(null, m);
          if (child.exitCode !== null || child.signalCode !== null) finish(new Error(`gansight exited before ${pattern}:\n${out}`));
        };
        const finish = (err: Error | null, m?: RegExpMatchArray) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve(m!);
        };
        listeners.add(check);
        check();
      }),
  };
}

/** `gansight factory create` against the stack's data folder; its API key. */
export async function createFactoryKey(env: Record<string, string>, name: string): Promise<string> {
  const p = spawnGansight(env, { args: ['factory', 'create', '--name', name, '--admin-email', `ops@${name.toLowerCase().replace(/\W/g, '')}.example`, '--admin-password', 'a long password'] });
  const { code } = await p.exited;
  if (code !== 0) throw new Error(`factory create failed (${code}):\n${p.output()}`);
  return (JSON.parse(p.output()) as { apiKey: string }).apiKey;
}

/** A smooth striped texture, what a good part might look like, as a grayscale PNG. */
export function texturePng(seed: number, size: number): Promise<Buffer> {
  const data = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) data[y * size + x] = 0.7 * Math.sin((x + seed) / 3) * Math.cos((y * (1 + (seed % 3))) / 4);
  }
  return floatImageToPng({ width: size, height: size, channels: 1, data });
}

/** A product with `train` QUALIFIED TRAIN and `validation` QUALIFIED VALIDATION images. */
export async function seedProduct(client: GansightClient, o: { name: string; size: number; train: number; validation: number }): Promise<string> {
  const { createProduct } = await client.request(CreateProductDocument, { input: { name: o.name, imageSize: o.size, channels: 1 } });
  for (let i = 0; i < o.train; i++) {
    await uploadImage(client, { productId: createProduct.id, bytes: await texturePng(i, o.size), facts: { label: 'QUALIFIED', split: 'TRAIN' } });
  }
  for (let i = 0; i < o.validation; i++) {
    await uploadImage(client, { productId: createProduct.id, bytes: await texturePng(500 + i, o.size), facts: { label: 'QUALIFIED', split: 'VALIDATION' } });
  }
  return createProduct.id;
}

/** POSTs one GraphQL query; its round-trip time in ms (rejects on an HTTP or GraphQL error). */
export async function timedQuery(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<number> {
  return (await timedRequest(url, key, query, variables)).ms;
}

/** timedQuery with the answer's data too. */
export async function timedRequest(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<{ ms: number; data: unknown }> {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: { message: string }[] };
  const ms = performance.now() - started;
  if (!res.ok || body.errors?.length) throw new Error(`query failed (${res.status}): ${JSON.stringify(body.errors ?? body)}`);
  return { ms, data: body.data };
}

/** The q-quantile (0..1) of `values` (nearest rank). */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

export const INSPECTIONS_QUERY = /* GraphQL */ `
  query Recent($productId: ID!) {
    inspections(first: 20, filter: { productId: $productId }) { edges { node { id status verdict anomalyScore createdAt } } }
  }`;
export const HEALTH_QUERY = '{ health { status } }';
