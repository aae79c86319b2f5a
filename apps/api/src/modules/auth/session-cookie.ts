import type { IncomingHttpHeaders } from 'node:http';
import { apiError } from './api-errors';
import { isSessionToken } from './session-tokens';

/** The dashboard's session cookie; it carries the same token `login` returns. */
export const SESSION_COOKIE = 'gansight_session';

export interface SessionCookieOptions {
  /** Adds `Secure` (browsers then send it over https only); on when the API is served over https. */
  secure: boolean;
}

/**
 * HttpOnly: page scripts cannot read it, so an XSS cannot carry the session away.
 * SameSite=Lax: other sites' subresource requests and POSTs go without it.
 */
export function sessionCookie(token: string, expiresAt: Date, o: SessionCookieOptions): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${o.secure ? '; Secure' : ''}`;
}

/** Tells the browser to drop the cookie (after logout, or when it names no live session). */
export function clearedSessionCookie(o: SessionCookieOptions): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${o.secure ? '; Secure' : ''}`;
}

/** The session token in a Cookie header, or null (only tokens shaped like sessions count). */
export function sessionTokenFromCookie(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return isSessionToken(value) ? value : null;
  }
  return null;
}

/** How the request whose cookie is read arrived; see cookieCredential. */
export interface CookieTransport {
  headers: IncomingHttpHeaders;
  /** 'POST' and 'GET' for HTTP (POST bodies were already required to be JSON), 'WEBSOCKET' for the upgrade. */
  method: string;
}

/**
 * The session token a browser's cookie presents, if the request may use it (CSRF guard).
 * Browsers attach cookies to requests other sites make, so a cookie alone proves nothing about
 * who wrote the request:
 * - HTTP POST must be application/json (enforced before this runs): another site cannot send
 *   that without a CORS preflight, which this API never approves.
 * - GET never uses the cookie: Apollo runs queries over GET, and a link or <img> could send one.
 * - WebSocket upgrades are not covered by CORS at all, so the Origin must be our own.
 * - In every case an Origin header, when sent, must name this host (or the proxy's forwarded
 *   host, e.g. the dashboard's), as a second line against a permissive CORS proxy in front.
 */
export function cookieCredential(transport: CookieTransport): string | null {
  const token = sessionTokenFromCookie(headerValue(transport.headers.cookie));
  if (!token || transport.method === 'GET') return null;
  const origin = headerValue(transport.headers.origin);
  if (origin === undefined && transport.method !== 'WEBSOCKET') return token;
  if (origin !== undefined && sameSite(origin, transport.headers)) return token;
  throw apiError('FORBIDDEN', 'This request came from another site with your session cookie; it was refused. Send a bearer token from other origins.');
}

function sameSite(origin: string, headers: IncomingHttpHeaders): boolean {
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false; // 'null' (sandboxed frames, file://) and garbage
  }
  // x-forwarded-host cannot be set by another site's browser page (it would need a preflight).
  const ours = [headerValue(headers.host), ...(headerValue(headers['x-forwarded-host'])?.split(',') ?? [])];
  return ours.some((h) => h?.trim().toLowerCase() === host.toLowerCase());
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
