import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

/** A running S3-protocol server on loopback, for tests. */
export interface TestS3Server {
  endpoint: string;
  port: number;
  accessKey: string;
  secretKey: string;
  /** Stops the server (idempotent); the data directory stays until `dispose`. */
  stop(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  dispose(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1 on a free port with data in a fresh temp directory. */
export async function startS3rver(): Promise<TestS3Server> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'gansight-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  const { port } = await server.run();
  let running = true;
  const stop = async () => {
    if (!running) return;
    running = false;
    await server.close();
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    // s3rver accepts exactly these credentials (its documented defaults).
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    stop,
    dispose: async () => {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
