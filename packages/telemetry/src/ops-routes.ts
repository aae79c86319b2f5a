import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/** One dependency's state as /readyz reports it; `reason` names what is down, never how (no hosts, users). */
export interface ReadinessCheck {
  name: string;
  ok: boolean;
  reason?: string;
}

export type Readiness = () => Promise<ReadinessCheck[]>;

export interface OpsRoutes {
  readiness: Readiness;
  metrics: Registry;
}


/**
 * Answers the operator's endpoints: /healthz (alive: the event loop answers), /readyz (200 when
 * every dependency answers, else 503 with the first failing one as `reason`), /metrics
 * (Prometheus text). Returns false for any other path.
 */
export async function serveOpsRoute(path: string, req: IncomingMessage, res: ServerResponse, o: OpsRoutes): Promise<boolean> {
  if (path === '/healthz') {
    sendJson(res, 200, { ok: true });
    return true;
  }
  if (path === '/readyz') {
    const checks = await o.readiness();
    const down = checks.find((c) => !c.ok);
    if (down) sendJson(res, 503, { ready: false, reason: down.reason ?? `${down.name} is unavailable`, checks });
    else sendJson(res, 200, { ready: true, checks });
    return true;
  }
  if (path === '/metrics') {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'GET /metrics' } });
      return true;
    }
    const body = await o.metrics.metrics();
    res.statusCode = 200;
    res.setHeader('content-type', o.metrics.contentType);
    res.setHeader('cache-control', 'no-store');
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
  return false;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}
