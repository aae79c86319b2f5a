import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBlobHttpHandler, type BlobHttpHandlerOptions } from '../blob-http-handler';
import type { BlobStore } from '../blob-store';

/** A loopback HTTP server with the blob handler mounted at /blobs, the way the API mounts it. */
export interface TestBlobServer {
  baseUrl: string;
  /** Sets the store the handler serves (it usually needs baseUrl before the store exists). */
  serve(store: BlobStore, options: Omit<BlobHttpHandlerOptions, 'basePath'>): void;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 on a free port; requests outside /blobs get 404. */
export async function startBlobServer(): Promise<TestBlobServer> {
  let handler: ReturnType<typeof createBlobHttpHandler> | undefined;
  const server = http.createServer((req, res) => {
    if (handler?.(req, res)) return;
    res.statusCode = 404;
    res.end('not mounted here\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/blobs`,
    serve: (store, options) => {
      handler = createBlobHttpHandler(store, { ...options, basePath: '/blobs' });
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
