// Browser sessions by cookie: set by login, cleared by logout, accepted by POST /graphql and the
// graphql-ws handshake, refused when another site sends it (CSRF / cross-site WebSocket hijacking).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { PASSWORD, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';

let t: TestApi;
let acme: TestFactory;
let origin: string;
const ME = '{ me { kind email factory { id } } }';

beforeAll(async () => {
  t = await startTestApi();
  acme = await t.createFactory('Acme Cookies');
  origin = new URL(t.api.url).origin;
});
afterAll(() => t.stop());

async function login(): Promise<{ cookie: string; setCookie: string; token: string }> {
  const res = await t.gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: acme.adminEmail, p: PASSWORD });
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { setCookie, cookie: setCookie.split(';')[0]!, token: res.json.data!.login.token };
}

/** A POST as a browser sends it: the cookie, and the page's Origin. */
function post(query: string, headers: Record<string, string>, contentType = 'application/json') {
  return fetch(t.api.url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body: JSON.stringify({ query }) });
}

const products = () => t.database.db.product.count({ where: { factoryId: acme.factoryId } });

function wsQuery(headers: Record<string, string>, query: string): Promise<{ data?: any; error?: unknown }> {
  return new Promise((resolve) => {
    // `ws` lets a test set what a browser would: the Cookie and Origin of the upgrade request.
    class BrowserLikeSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const client = createClient({ url: t.api.wsUrl, webSocketImpl: BrowserLikeSocket, retryAttempts: 0, lazy: true });
    let data: any;
    client.subscribe({ query }, {
      next: (v) => (data = v.errors ? { errors: v.errors } : v.data),
      error: (error) => void Promise.resolve(client.dispose()).then(() => resolve({ error })),
      complete: () => void Promise.resolve(client.dispose()).then(() => resolve({ data })),
    });
  });
}

describe('session cookie', () => {
  it('login sets an HttpOnly SameSite=Lax cookie holding the session, which authenticates POST /graphql', async () => {
    const { setCookie, cookie, token } = await login();
    expect(setCookie).toMatch(/^gansight_session=gss_[0-9a-f]{64}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    expect(cookie).toBe(`gansight_session=${token}`);
    const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)![1]);
    expect(maxAge).toBeGreaterThan(13 * 24 * 3600);
    const me = await post(ME, { cookie, origin });
    expect(((await me.json()) as any).data.me).toEqual({ kind: 'USER', email: acme.adminEmail, factory: { id: acme.factoryId } });
  });

  it('refuses the cookie from another site, and a form-style post, executing nothing', async () => {
    const { cookie } = await login();
    const before = await products();
    const create = 'mutation { createProduct(input: { name: "Forged", imageSize: 32, channels: 1 }) { id } }';
    const crossSite = await post(create, { cookie, origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
    // What an HTML form or a no-cors fetch can send: a simple content type.
    const form = await post(create, { cookie }, 'text/plain');
    expect(form.status).toBe(415);
    // GET never authenticates by cookie (a link or an <img> could send one).
    const get = await fetch(`${t.api.url}?query=${encodeURIComponent(ME)}`, { headers: { cookie, 'apollo-require-preflight': '1' } });
    expect(((await get.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await products()).toBe(before);
    // The same mutation from our own page works.
    const ours = await post(create, { cookie, origin });
    expect(((await ours.json()) as any).errors).toBeUndefined();
    expect(await products()).toBe(before + 1);
  });

  it('authenticates a WebSocket by cookie from our origin only', async () => {
    const { cookie } = await login();
    expect((await wsQuery({ cookie, origin }, ME)).data).toEqual({ me: { kind: 'USER', email: acme.adminEmail, factory: { id: acme.factoryId } } });
    const hijack = await wsQuery({ cookie, origin: 'https://evil.example' }, ME);
    expect((hijack.error as { code?: number }).code).toBe(4403);
  });

  it('logout clears the cookie and ends the session; a stale cookie does not block signing in again', async () => {
    const { cookie } = await login();
    const out = await post('mutation { logout }', { cookie, origin });
    expect(out.headers.get('set-cookie')).toBe('gansight_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax');
    const me = await post(ME, { cookie, origin });
    expect(me.status).toBe(401);
    // The ended session's cookie counts as none: login works, and the browser is told to drop it.
    const again = await fetch(t.api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin },
      body: JSON.stringify({ query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: acme.adminEmail, p: PASSWORD } }),
    });
    const body = (await again.json()) as any;
    expect(body.data.login.token).toMatch(/^gss_/);
    expect(again.headers.getSetCookie()).toEqual([expect.stringMatching(/^gansight_session=; /), expect.stringMatching(/^gansight_session=gss_/)]);
  });

  it('an explicit bearer token wins over the cookie', async () => {
    const { cookie } = await login();
    const res = await post('{ me { kind } }', { cookie, origin: 'https://evil.example', authorization: `Bearer ${acme.keyToken}` });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data).toEqual({ me: { kind: 'API_KEY' } });
  });
});
