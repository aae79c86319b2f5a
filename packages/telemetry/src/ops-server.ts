import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveOpsRoute, type OpsRoutes } from './ops-routes';

export interface RunningOpsServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** An HTTP server with only /healthz, /readyz and /metrics: for processes that serve nothing else (workers). */
export async function startOpsServer(o: OpsRoutes & { host: string; port: number; log: (line: string) => void }): Promise<RunningOpsServer> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    serveOpsRoute(path, req, res, o)
      .then((served) => {
        if (served) return;
        res.statusCode = 404;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `No route for ${path}; this port serves /healthz, /readyz and /metrics` } }));
      })
      .catch((err: unknown) => {
        o.log(`ops request ${path} failed: ${(err as Error)?.stack ?? String(err)}`);
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
  });
  // Probes and scrapes hold no connection open for long; do not let one keep the process alive.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host === '0.0.0.0' ? '127.0.0.1' : o.host;
  return {
    port,
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
