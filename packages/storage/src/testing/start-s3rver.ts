import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A running S3-protocol server on loopback, for tests. */
export interface TestS3Server {
  endpoint: string;
  port: number;
  accessKey: string;
  secretKey: string;
  /** Stops the server process (idempotent); the data directory stays until `dispose`. */
  stop(): Promise<void>;
  /** Starts a stopped server again on the same port and data (storage that was down comes back). */
  restart(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  dispose(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./s3rver-process.mjs', import.meta.url));
const START_TIMEOUT_MS = 20_000;

/** Starts s3rver on 127.0.0.1 on a free port, in a child process, with data in a fresh temp directory. */
export async function startS3rver(): Promise<TestS3Server> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'gansight-s3rver-'));
  let running = await spawnS3rver(directory, 0).catch(async (err) => {
    await rm(directory, { recursive: true, force: true });
    throw err;
  });
  const port = running.port;
  const stop = () => running.stop();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    // s3rver accepts exactly these credentials (its documented defaults).
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    stop,
    restart: async () => {
      await stop();
      running = await spawnS3rver(directory, port);
    },
    dispose: async () => {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** One s3rver process on `directory`; port 0 picks a free one. */
async function spawnS3rver(directory: string, requestedPort: number): Promise<{ port: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', SCRIPT, directory, String(requestedPort)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('s3rver did not start within 20 s')), START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`s3rver exited with status ${code} before listening`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  }).catch((err) => {
    child.kill('SIGKILL');
    throw err;
  });
  return {
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
