import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeysDocument, CreateApiKeyDocument, MembersDocument, createGansightClient, isApiError, type ApiKeysQuery } from '@gansight/client';
import { errorCode, PASSWORD, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';

let t: TestApi;
let acme: TestFactory;
let boreal: TestFactory;
let admin: string;

beforeAll(async () => {
  t = await startTestApi();
  acme = await t.createFactory('Acme Tiles');
  boreal = await t.createFactory('Borealis Solar');
  admin = await t.login(acme.adminEmail);
});
afterAll(() => t.stop());

const INVITE = 'mutation($e: String!, $r: Role!) { inviteMember(email: $e, role: $r) { invitation { email role expiresAt code } } }';
const ACCEPT = 'mutation($c: String!, $p: String!, $n: String) { acceptInvitation(code: $c, password: $p, name: $n) { token user { email name } factories { role factory { id } } } }';
const MEMBERS = '{ members { edges { node { userId email role } } } }';
const nodes = (connection: { edges: { node: any }[] }) => connection.edges.map((e) => e.node);

describe('factory administration', () => {
  it('invites a new person, who chooses a password when accepting and is signed in at the role given', async () => {
    const res = await t.gql(INVITE, { e: 'Erin@Acme.example', r: 'ENGINEER' }, { token: admin });
    const { invitation } = res.json.data!.inviteMember;
    expect(invitation).toMatchObject({ email: 'erin@acme.example', role: 'ENGINEER', code: expect.stringMatching(/^gsi_/) });
    expect(new Date(invitation.expiresAt).getTime()).toBeGreaterThan(Date.now() + 71 * 3600_000);
    expect(await t.database.db.user.count({ where: { email: 'erin@acme.example' } })).toBe(0); // nothing until accepted
    expect(errorCode(await t.gql(ACCEPT, { c: invitation.code, p: 'short' }))).toBe('BAD_USER_INPUT');
    const accepted = await t.gql(ACCEPT, { c: invitation.code, p: 'erin chose this password', n: 'Erin' });
    expect(accepted.json.data!.acceptInvitation).toMatchObject({ user: { email: 'erin@acme.example', name: 'Erin' }, factories: [{ role: 'ENGINEER', factory: { id: acme.factoryId } }] });
    const erin = await t.login('erin@acme.example', 'erin chose this password');
    expect((await t.gql('{ me { role factory { id } } }', {}, { token: erin })).json.data!.me).toEqual({ role: 'ENGINEER', factory: { id: acme.factoryId } });
    // An engineer does not manage people.
    const denied = await t.gql(MEMBERS, {}, { token: erin });
    expect(errorCode(denied)).toBe('FORBIDDEN');
    expect(denied.json.errors![0]!.message).toMatch(/ADMIN role/);
  });

  it('does not reveal whether an invited email has an account in another factory', async () => {
    const existing = await t.gql(INVITE, { e: boreal.adminEmail, r: 'VIEWER' }, { token: admin });
    const fresh = await t.gql(INVITE, { e: 'nobody.yet@elsewhere.example', r: 'VIEWER' }, { token: admin });
    const shape = (r: typeof existing) => ({ status: r.status, errors: r.json.errors, ...r.json.data!.inviteMember.invitation, email: '*', code: '*', expiresAt: '*' });
    for (const r of [existing, fresh]) expect(r.json.data!.inviteMember.invitation.code).toMatch(/^gsi_[\w-]+\.[\w-]{43}$/);
    expect(shape(existing)).toEqual(shape(fresh));
    // The existing account was not added anywhere: joining takes its owner's consent (password).
    expect(errorCode(await t.gql('{ me { role } }', {}, { token: await t.login(boreal.adminEmail), factoryId: acme.factoryId }))).toBe('FORBIDDEN');
    const code = existing.json.data!.inviteMember.invitation.code;
    expect(errorCode(await t.gql(ACCEPT, { c: code, p: 'not their password' }))).toBe('UNAUTHENTICATED');
    expect(await t.database.db.membership.count({ where: { factoryId: acme.factoryId, userId: boreal.adminUserId } })).toBe(0);
    const accepted = await t.gql(ACCEPT, { c: code, p: PASSWORD });
    expect(accepted.json.data!.acceptInvitation.factories).toEqual(
      expect.arrayContaining([{ role: 'VIEWER', factory: { id: acme.factoryId } }, { role: 'ADMIN', factory: { id: boreal.factoryId } }]),
    );
    // Accepting twice is harmless; inviting a member again is a conflict the admin can see anyway.
    expect(errorCode(await t.gql(ACCEPT, { c: code, p: PASSWORD }))).toBeUndefined();
    expect(errorCode(await t.gql(INVITE, { e: boreal.adminEmail, r: 'ADMIN' }, { token: admin }))).toBe('CONFLICT');
    expect(errorCode(await t.gql(INVITE, { e: 'not-an-email', r: 'VIEWER' }, { token: admin }))).toBe('BAD_USER_INPUT');
  });

  it('lets a new person sign in with the code as temporary password, but never opens an existing account with it', async () => {
    const invite = (email: string) => t.gql('mutation($e: String!) { inviteMember(email: $e, role: VIEWER) { temporaryPassword invitation { code } } }', { e: email }, { token: admin });
    const fresh = (await invite('hal@acme.example')).json.data!.inviteMember;
    expect(fresh.temporaryPassword).toBe(fresh.invitation.code);
    const hal = await t.login('hal@acme.example', fresh.temporaryPassword);
    expect((await t.gql('{ me { role factory { id } } }', {}, { token: hal })).json.data!.me).toEqual({ role: 'VIEWER', factory: { id: acme.factoryId } });
    expect(await t.login('hal@acme.example', fresh.temporaryPassword)).toMatch(/^gss_/); // it is their password until they change it
    // A code for another email is no password; nor is any code for an account that exists.
    const other = (await invite('ivy@acme.example')).json.data!.inviteMember.temporaryPassword;
    expect(errorCode(await t.gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: 'jon@acme.example', p: other }))).toBe('UNAUTHENTICATED');
    const cobalt = await t.createFactory('Cobalt Glass');
    const forExisting = (await invite(cobalt.adminEmail)).json.data!.inviteMember.temporaryPassword;
    const existing = await t.gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: cobalt.adminEmail, p: forExisting });
    expect(errorCode(existing)).toBe('UNAUTHENTICATED');
    expect(await t.database.db.membership.count({ where: { factoryId: acme.factoryId, userId: cobalt.adminUserId } })).toBe(0);
    expect(await t.database.db.user.count({ where: { email: { in: ['jon@acme.example', 'ivy@acme.example'] } } })).toBe(0);
    await t.gql('mutation($u: ID!) { removeMember(userId: $u) { email } }', { u: (await t.gql('{ me { userId } }', {}, { token: hal })).json.data!.me.userId }, { token: admin });
  });

  it('refuses altered codes, and a code issued before its invitee was removed', async () => {
    const { code } = (await t.gql(INVITE, { e: 'gail@acme.example', r: 'MANAGER' }, { token: admin })).json.data!.inviteMember.invitation;
    const [body, mac] = code.slice(4).split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const promoted = `gsi_${Buffer.from(JSON.stringify({ ...claims, role: 'ADMIN' })).toString('base64url')}.${mac}`;
    expect(errorCode(await t.gql(ACCEPT, { c: promoted, p: 'gail chose this password' }))).toBe('FORBIDDEN');
    expect(await t.database.db.user.count({ where: { email: 'gail@acme.example' } })).toBe(0);
    const joined = await t.gql(ACCEPT, { c: code, p: 'gail chose this password' });
    const gailToken = joined.json.data!.acceptInvitation.token;
    const gail = (await t.gql('{ me { userId } }', {}, { token: gailToken })).json.data!.me.userId;
    await t.gql('mutation($u: ID!) { removeMember(userId: $u) { email } }', { u: gail }, { token: admin });
    expect(errorCode(await t.gql(ACCEPT, { c: code, p: 'gail chose this password' }))).toBe('FORBIDDEN');
    expect(await t.database.db.membership.count({ where: { factoryId: acme.factoryId, userId: gail } })).toBe(0);
  });

  it('changes roles and removes members, but never the last admin', async () => {
    const members = nodes((await t.gql(MEMBERS, {}, { token: admin })).json.data!.members);
    const erin = members.find((m: { email: string }) => m.email === 'erin@acme.example');
    const change = 'mutation($u: ID!, $r: Role!) { changeMemberRole(userId: $u, role: $r) { role } }';
    expect((await t.gql(change, { u: erin.userId, r: 'MANAGER' }, { token: admin })).json.data!.changeMemberRole.role).toBe('MANAGER');
    const lastAdmin = await t.gql(change, { u: acme.adminUserId, r: 'VIEWER' }, { token: admin });
    expect(errorCode(lastAdmin)).toBe('BAD_USER_INPUT');
    const remove = 'mutation($u: ID!) { removeMember(userId: $u) { email } }';
    expect(errorCode(await t.gql(remove, { u: acme.adminUserId }, { token: admin }))).toBe('BAD_USER_INPUT');
    expect((await t.gql(remove, { u: boreal.adminUserId }, { token: admin })).json.data!.removeMember.email).toBe(boreal.adminEmail);
    const borealAdmin = await t.login(boreal.adminEmail);
    expect(errorCode(await t.gql('{ me { role } }', {}, { token: borealAdmin, factoryId: acme.factoryId }))).toBe('FORBIDDEN');
    // Another factory's user is simply not a member here.
    expect(errorCode(await t.gql(change, { u: boreal.adminUserId, r: 'ADMIN' }, { token: admin }))).toBe('NOT_FOUND');
    expect(nodes((await t.gql(MEMBERS, {}, { token: admin })).json.data!.members).map((m: { role: string }) => m.role).sort()).toEqual(['ADMIN', 'MANAGER']);
  });

  it('creates an API key shown once, lists it without its secret, and revokes it', async () => {
    const create = 'mutation($n: String!, $s: [String!]!) { createApiKey(name: $n, scopes: $s) { token apiKey { id name prefix scopes revokedAt } } }';
    const bad = await t.gql(create, { n: 'line 2', s: ['images:write', 'everything'] }, { token: admin });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.json.errors![0]!.message).toMatch(/unknown: everything/);
    const before = (await t.gql('{ apiKeys { edges { node { id } } } }', {}, { token: admin })).json.data!.apiKeys.edges.length;

    const created = (await t.gql(create, { n: 'line 2', s: ['images:write', 'results:read'] }, { token: admin })).json.data!.createApiKey;
    expect(created.token).toMatch(new RegExp(`^gsk_${created.apiKey.prefix}_`));
    const me = await t.gql('{ me { kind scopes apiKeyName } }', {}, { token: created.token });
    expect(me.json.data!.me).toEqual({ kind: 'API_KEY', scopes: ['images:write', 'results:read'], apiKeyName: 'line 2' });
    const listed = await t.gql('{ apiKeys { edges { node { id name prefix scopes lastUsedAt } } } }', {}, { token: admin });
    expect(listed.json.data!.apiKeys.edges).toHaveLength(before + 1);
    expect(listed.json.data!.apiKeys.edges[0].node).toMatchObject({ id: created.apiKey.id, name: 'line 2' }); // newest first
    expect(JSON.stringify(listed.json)).not.toContain(created.token.split('_')[2]);

    const revoked = await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: created.apiKey.id }, { token: admin });
    expect(revoked.json.data!.revokeApiKey.revokedAt).toBeTruthy();
    expect(errorCode(await t.gql('{ me { kind } }', {}, { token: created.token }))).toBe('UNAUTHENTICATED');
    // Keys cannot administer: even an all-scopes key is refused.
    expect(errorCode(await t.gql('{ apiKeys { edges { node { id } } } }', {}, { token: acme.keyToken }))).toBe('FORBIDDEN');
    // Another factory's key id is NOT_FOUND, and stays unrevoked.
    const foreign = await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: boreal.apiKeyId }, { token: admin });
    expect(errorCode(foreign)).toBe('NOT_FOUND');
    expect((await t.gql('{ me { kind } }', {}, { token: boreal.keyToken })).json.data!.me.kind).toBe('API_KEY');
  });

  it('audits every change with its actor and target, never the secrets, in pages for admins', async () => {
    const page = await t.gql('{ auditLog(first: 50) { edges { node { action actorType actorUserId targetType targetId details } } pageInfo { hasNextPage } } }', {}, { token: admin });
    const entries = page.json.data!.auditLog.edges.map((e: { node: unknown }) => e.node);
    const actions = entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['inviteMember', 'changeMemberRole', 'removeMember', 'createApiKey', 'revokeApiKey']),
    );
    // Refused or failed mutations changed nothing and are not in the trail.
    expect(actions.filter((a: string) => a === 'createApiKey')).toHaveLength(1);
    const created = entries.find((e: { action: string }) => e.action === 'createApiKey');
    expect(created).toMatchObject({ actorType: 'USER', actorUserId: acme.adminUserId, targetType: 'ApiKey', details: { name: 'line 2' } });
    expect(JSON.stringify(entries)).not.toMatch(/gsk_/);
    const borealLog = await t.gql('{ auditLog { edges { node { id } } } }', {}, { token: await t.login(boreal.adminEmail) });
    expect(borealLog.json.data!.auditLog.edges).toHaveLength(0);

    const first = await t.gql('{ auditLog(first: 2) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }', {}, { token: admin });
    const conn = first.json.data!.auditLog;
    expect(conn.edges).toHaveLength(2);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    const next = await t.gql('query($a: String) { auditLog(first: 2, after: $a) { edges { node { id } } } }', { a: conn.pageInfo.endCursor }, { token: admin });
    expect(next.json.data!.auditLog.edges[0].node.id).not.toBe(conn.edges[1].node.id);
    expect(errorCode(await t.gql('{ auditLog(first: 101) { edges { cursor } } }', {}, { token: admin }))).toBe('BAD_USER_INPUT');
  });

  it('pages members and API keys as cursor connections, bounded, within the factory', async () => {
    const client = createGansightClient({ url: t.api.url, token: admin });
    for (let i = 0; i < 3; i++) await client.request(CreateApiKeyDocument, { name: `station ${i}`, scopes: ['results:read'] });
    const all = nodes((await client.request(ApiKeysDocument, { first: 100 })).apiKeys);
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const { apiKeys }: ApiKeysQuery = await client.request(ApiKeysDocument, { first: 2, after });
      expect(apiKeys.edges.length).toBeLessThanOrEqual(2);
      seen.push(...apiKeys.edges.map((e) => e.node.id));
      if (!apiKeys.pageInfo.hasNextPage) break;
      after = apiKeys.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.map((k) => k.id));
    expect(all.map((k) => k.id)).not.toContain(boreal.apiKeyId);
    const members = (await client.request(MembersDocument, { first: 1 })).members;
    expect(members.edges).toHaveLength(1);
    expect(members.pageInfo.hasNextPage).toBe(true);
    const rest = (await client.request(MembersDocument, { first: 100, after: members.pageInfo.endCursor })).members;
    expect([...members.edges, ...rest.edges].map((e) => e.node.email).sort()).toEqual(['admin@acmetiles.example', 'erin@acme.example']);
    for (const first of [0, 101]) {
      const error = await client.request(MembersDocument, { first }).catch((e: unknown) => e);
      expect(isApiError(error, 'BAD_USER_INPUT')).toBe(true);
    }
    expect(isApiError(await client.request(ApiKeysDocument, { after: 'garbage' }).catch((e: unknown) => e), 'BAD_USER_INPUT')).toBe(true);
  });
});
