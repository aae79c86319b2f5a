import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setMembership } from '@gansight/db';
import { errorCode, PASSWORD, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { hashSessionToken } from './session-tokens';

let t: TestApi;
let acme: TestFactory;
let boreal: TestFactory;
const ME = '{ me { kind role email factory { id name } } }';

beforeAll(async () => {
  t = await startTestApi({ loginRateLimit: { capacity: 4, refillPerSecond: 0.001 } });
  acme = await t.createFactory('Acme Tiles');
  boreal = await t.createFactory('Borealis Solar');
});
afterAll(() => t.stop());

describe('users and sessions', () => {
  it('signs in with email and password and resolves the session to the user, factory and role', async () => {
    const res = await t.gql(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt user { email } factories { role factory { id name } } } }',
      { e: acme.adminEmail.toUpperCase(), p: PASSWORD },
    );
    const login = res.json.data!.login;
    expect(login.user.email).toBe(acme.adminEmail);
    expect(login.factories).toEqual([{ role: 'ADMIN', factory: { id: acme.factoryId, name: 'Acme Tiles' } }]);
    expect(new Date(login.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await t.gql(ME, {}, { token: login.token });
    expect(me.json.data!.me).toEqual({ kind: 'USER', role: 'ADMIN', email: acme.adminEmail, factory: { id: acme.factoryId, name: 'Acme Tiles' } });
    // Only the hash is stored: the token itself appears nowhere in the sessions table.
    const sessions = await t.database.db.session.findMany();
    expect(JSON.stringify(sessions)).not.toContain(login.token);
    expect(sessions.map((s) => s.tokenHash)).toContain(hashSessionToken(login.token));
  });

  it('refuses a wrong password or unknown email with the same message and creates no session', async () => {
    const before = await t.database.db.session.count();
    const wrong = await t.gql('mutation { login(email: "admin@acmetiles.example", password: "nope") { token } }');
    const unknown = await t.gql('mutation { login(email: "ghost@nowhere.example", password: "nope") { token } }');
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(unknown.json.errors![0]!.message).toBe(wrong.json.errors![0]!.message);
    expect(await t.database.db.session.count()).toBe(before);
  });

  it('throttles repeated sign-in attempts for one email with RATE_LIMITED', async () => {
    const attempt = () => t.gql('mutation { login(email: "victim@acmetiles.example", password: "guess") { token } }');
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push(errorCode(await attempt()));
    expect(codes.slice(0, 4)).toEqual(Array(4).fill('UNAUTHENTICATED'));
    expect(codes[5]).toBe('RATE_LIMITED');
  });

  it('ends the session on logout', async () => {
    const token = await t.login(acme.adminEmail);
    expect((await t.gql('mutation { logout }', {}, { token })).json.data).toEqual({ logout: true });
    const after = await t.gql(ME, {}, { token });
    expect(after.status).toBe(401);
    expect(errorCode(after)).toBe('UNAUTHENTICATED');
  });

  it('lets a user of several factories pick one per request, verified against membership', async () => {
    await setMembership(t.database.db, boreal.factoryId, acme.adminUserId, 'VIEWER');
    const token = await t.login(acme.adminEmail);
    const unpicked = await t.gql(ME, {}, { token });
    expect(unpicked.json.data!.me).toMatchObject({ kind: 'USER', factory: null, role: null });
    const factories = await t.gql('{ myFactories { role factory { id } } }', {}, { token });
    expect(factories.json.data!.myFactories).toEqual([
      { role: 'ADMIN', factory: { id: acme.factoryId } },
      { role: 'VIEWER', factory: { id: boreal.factoryId } },
    ]);
    expect((await t.gql(ME, {}, { token, factoryId: boreal.factoryId })).json.data!.me).toMatchObject({ role: 'VIEWER', factory: { id: boreal.factoryId } });
    expect((await t.gql(ME, {}, { token, factoryId: acme.factoryId })).json.data!.me).toMatchObject({ role: 'ADMIN' });

    // Borealis' own admin may not step into Acme, nor may a made-up id be used; both look alike.
    const borealToken = await t.login(boreal.adminEmail);
    const intruder = await t.gql(ME, {}, { token: borealToken, factoryId: acme.factoryId });
    const madeUp = await t.gql(ME, {}, { token: borealToken, factoryId: 'cl0000000000000000000000' });
    expect(intruder.status).toBe(403);
    expect(errorCode(intruder)).toBe('FORBIDDEN');
    expect(errorCode(madeUp)).toBe('FORBIDDEN');
    expect(intruder.json.data).toBeUndefined();
  });

  it('refuses an API key asking for another factory', async () => {
    const res = await t.gql(ME, {}, { token: acme.keyToken, factoryId: boreal.factoryId });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect((await t.gql(ME, {}, { token: acme.keyToken, factoryId: acme.factoryId })).json.data!.me.kind).toBe('API_KEY');
  });

  it('changes a password, ending other sessions but keeping this one', async () => {
    const other = await t.login(boreal.adminEmail);
    const current = await t.login(boreal.adminEmail);
    const short = await t.gql('mutation { changePassword(currentPassword: "x", newPassword: "short") }', {}, { token: current });
    expect(errorCode(short)).toBe('BAD_USER_INPUT');
    const change = 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
    const wrong = await t.gql(change, { c: 'not it', n: 'a brand new long password' }, { token: current });
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    const ok = await t.gql(change, { c: PASSWORD, n: 'a brand new long password' }, { token: current });
    expect(ok.json.data).toEqual({ changePassword: true });
    expect(errorCode(await t.gql(ME, {}, { token: other }))).toBe('UNAUTHENTICATED');
    expect((await t.gql(ME, {}, { token: current })).json.data!.me.email).toBe(boreal.adminEmail);
    await expect(t.login(boreal.adminEmail)).rejects.toThrow(/login failed/);
    expect(await t.login(boreal.adminEmail, 'a brand new long password')).toMatch(/^gss_/);
  });
});
