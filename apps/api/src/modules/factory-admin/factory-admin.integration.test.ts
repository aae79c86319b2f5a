import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeysDocument, CreateApiKeyDocument, MembersDocument, createGansightClient, isApiError, type ApiKeysQuery } from '@gansight/client';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';

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

const INVITE = 'mutation($e: String!, $r: Role!) { inviteMember(email: $e, role: $r) { temporaryPassword member { userId email role } } }';
const MEMBERS = '{ members { edges { node { userId email role } } } }';
const nodes = (connection: { edges: { node: any }[] }) => connection.edges.map((e) => e.node);

describe('factory administration', () => {
  it('invites a new person with a temporary password they can sign in with, at the role given', async () => {
    const res = await t.gql(INVITE, { e: 'Erin@Acme.example', r: 'ENGINEER' }, { token: admin });
    const invite = res.json.data!.inviteMember;
    expect(invite.member).toMatchObject({ email: 'erin@acme.example', role: 'ENGINEER' });
    expect(invite.temporaryPassword).toMatch(/^\S{16,}$/);
    const erin = await t.login('erin@acme.example', invite.temporaryPassword);
    expect((await t.gql('{ me { role factory { id } } }', {}, { token: erin })).json.data!.me).toEqual({ role: 'ENGINEER', factory: { id: acme.factoryId } });
    // An engineer does not manage people.
    const denied = await t.gql(MEMBERS, {}, { token: erin });
    expect(errorCode(denied)).toBe('FORBIDDEN');
    expect(denied.json.errors![0]!.message).toMatch(/ADMIN role/);
  });

  it('adds an existing account without a new password, and refuses a second invitation', async () => {
    const res = await t.gql(INVITE, { e: boreal.adminEmail, r: 'VIEWER' }, { token: admin });
    expect(res.json.data!.inviteMember).toMatchObject({ temporaryPassword: null, member: { role: 'VIEWER' } });
    expect(errorCode(await t.gql(INVITE, { e: boreal.adminEmail, r: 'ADMIN' }, { token: admin }))).toBe('CONFLICT');
    expect(errorCode(await t.gql(INVITE, { e: 'not-an-email', r: 'VIEWER' }, { token: admin }))).toBe('BAD_USER_INPUT');
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
