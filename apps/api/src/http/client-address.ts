import type { IncomingMessage } from 'node:http';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The address a request came from, for per-address limits and session records. The dashboard's
 * Next.js server proxies /graphql from this machine, so every browser would look like loopback:
 * from a loopback peer the last X-Forwarded-For entry (the one that proxy appended) names the
 * client. From any other peer the header is only the client's own claim and is ignored.
 */
export function clientAddress(req: IncomingMessage): string | undefined {
  const peer = req.socket.remoteAddress;
  if (!peer || !LOOPBACK.has(peer)) return peer;
  const forwarded = req.headers['x-forwarded-for'];
  const list = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
  const last = list?.split(',').pop()?.trim();
  return last || peer;
}
