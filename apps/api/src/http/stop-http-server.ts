// Stops the one HTTP server the API owns, within a bounded time, whatever its clients do.
// Apollo's drain plugin waits 10 s for sockets and ws waits 30 s for a close frame a silent
// subscriber never sends, which together exceed the stack's 10 s to stop (issue 13, item 10).
import type { Server } from 'node:http';
import type { WebSocketServer } from 'ws';

export interface StopHttpServerOptions {
  /** How long in-flight requests may take to finish before their connections are cut. */
  graceMs: number;
  /** How long a subscriber has to answer our close frame before its socket is cut. */
  webSocketGraceMs: number;
}

/**
 * Watches responses so that, once stopping, a keep-alive connection closes as soon as its
 * request is answered (Node closes idle connections only once, when `close()` is called).
 * Returns the function that stops the server.
 */
export function stoppableHttpServer(httpServer: Server, wss: WebSocketServer, o: StopHttpServerOptions): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  httpServer.on('request', (_req, res) => {
    res.once('finish', () => {
      if (stopping) setImmediate(() => httpServer.closeIdleConnections());
    });
  });
  return () =>
    (stopping ??= new Promise<void>((resolve) => {
      // No new connections; idle keep-alive sockets close now, busy ones when answered.
      httpServer.close(() => resolve());
      httpServer.closeIdleConnections();
      // Subscribers learn that we go away (1001); those that do not answer are cut.
      for (const socket of wss.clients) socket.close(1001, 'Server shutting down');
      const cutSockets = setTimeout(() => {
        for (const socket of wss.clients) socket.terminate();
      }, Math.min(o.webSocketGraceMs, o.graceMs));
      const cutAll = setTimeout(() => {
        httpServer.closeAllConnections();
        for (const socket of wss.clients) socket.terminate();
      }, o.graceMs);
      httpServer.once('close', () => {
        clearTimeout(cutSockets);
        clearTimeout(cutAll);
      });
    }));
}
