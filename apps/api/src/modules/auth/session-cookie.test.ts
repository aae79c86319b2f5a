import { describe, expect, it } from 'vitest';
import { clearedSessionCookie, cookieCredential, sessionCookie, sessionTokenFromCookie } from './session-cookie';

const TOKEN = `gss_${'ab'.repeat(32)}`;
const cookie = `theme=dark; gansight_session=${TOKEN}; other=1`;

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, lives as long as the session, and Secure only when asked', () => {
    const plain = sessionCookie(TOKEN, new Date(Date.now() + 3600_000), { secure: false });
    expect(plain).toMatch(new RegExp(`^gansight_session=${TOKEN}; Path=/; Max-Age=(3599|3600); HttpOnly; SameSite=Lax$`));
    expect(sessionCookie(TOKEN, new Date(Date.now() + 3600_000), { secure: true })).toMatch(/; Secure$/);
    expect(clearedSessionCookie({ secure: false })).toBe('gansight_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax');
  });

  it('reads only session-shaped tokens from the Cookie header', () => {
    expect(sessionTokenFromCookie(cookie)).toBe(TOKEN);
    expect(sessionTokenFromCookie('gansight_session=gsk_000000000000_' + '0'.repeat(48))).toBeNull();
    expect(sessionTokenFromCookie('xgansight_session=' + TOKEN)).toBeNull();
    expect(sessionTokenFromCookie(undefined)).toBeNull();
  });

  it('accepts the cookie on same-site POSTs and WebSockets only', () => {
    const post = (headers: Record<string, string>) => cookieCredential({ method: 'POST', headers: { cookie, host: 'api.example:4000', ...headers } });
    expect(post({})).toBe(TOKEN); // no Origin: not a cross-site browser request (those always carry one)
    expect(post({ origin: 'http://api.example:4000' })).toBe(TOKEN);
    expect(post({ origin: 'http://localhost:3000', 'x-forwarded-host': 'localhost:3000' })).toBe(TOKEN); // the dashboard's proxy
    expect(() => post({ origin: 'https://evil.example' })).toThrow(/another site/);
    expect(() => post({ origin: 'null' })).toThrow(/another site/);
    expect(cookieCredential({ method: 'GET', headers: { cookie, host: 'api.example:4000' } })).toBeNull();
    const ws = (headers: Record<string, string>) => cookieCredential({ method: 'WEBSOCKET', headers: { cookie, host: 'api.example:4000', ...headers } });
    expect(ws({ origin: 'http://api.example:4000' })).toBe(TOKEN);
    expect(() => ws({})).toThrow(/another site/); // browsers always send Origin on WebSockets
    expect(() => ws({ origin: 'http://evil.example' })).toThrow(/another site/);
  });
});
