import http from 'node:http';
import https from 'node:https';

type RequestFn = typeof http.request;

/**
 * An http(s) transport for the minio client whose requests fail with ETIMEDOUT after
 * `idleTimeoutMs` without socket activity (connecting, waiting for headers, or mid-body).
 * minio itself has no timeout, so without this a silent server would hang callers forever.
 */
export function createTimeoutTransport(useSSL: boolean, idleTimeoutMs: number): { request: RequestFn } {
  const base = useSSL ? https : http;
  const request = ((...args: Parameters<RequestFn>) => {
    const req = (base.request as (...a: unknown[]) => http.ClientRequest)(...args);
    req.setTimeout(idleTimeoutMs, () => {
      const err = Object.assign(new Error(`no answer from object storage within ${idleTimeoutMs} ms`), {
        code: 'ETIMEDOUT',
      });
      req.destroy(err);
    });
    return req;
  }) as RequestFn;
  return { request };
}

/** A keep-alive agent for the transport; destroyed by the store's close(). */
export function createAgent(useSSL: boolean): http.Agent {
  return useSSL ? new https.Agent({ keepAlive: true, maxSockets: 32 }) : new http.Agent({ keepAlive: true, maxSockets: 32 });
}
