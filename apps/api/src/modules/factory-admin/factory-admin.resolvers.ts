import { randomBytes } from 'node:crypto';
import {
  countMembersWithRole,
  createApiKey,
  createUser,
  findUserByEmail,
  getMembership,
  listMembers,
  removeMembership,
  revokeApiKey,
  setMembership,
  type Role,
} from '@gansight/db';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { generateApiKey, hashPassword } from '../auth/credentials';
import { requireFactoryCaller } from '../auth/require-caller';
import { API_KEY_SCOPES, isKnownScope } from '../auth/scopes';
import { pageRequest, toConnection, type ConnectionArgs } from '../common/connection';
import { apiKeysPage, membersPage } from './admin-pages';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type MemberRow = Awaited<ReturnType<typeof listMembers>>[number];

function presentMember(m: MemberRow) {
  return { id: m.id, userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt };
}

async function memberOf(ctx: ApiContext, factoryId: string, userId: string) {
  const found = (await listMembers(ctx.services.db, factoryId)).find((m) => m.userId === userId);
  if (!found) throw apiError('NOT_FOUND', `Member ${userId} was not found in this factory.`);
  return found;
}

// A factory without an admin could never manage its people or keys again.
async function keepOneAdmin(ctx: ApiContext, factoryId: string, member: MemberRow, newRole: Role | null) {
  if (member.role !== 'ADMIN' || newRole === 'ADMIN') return;
  if ((await countMembersWithRole(ctx.services.db, factoryId, 'ADMIN')) <= 1) {
    throw apiError('BAD_USER_INPUT', 'This is the last admin of the factory; make someone else ADMIN first.');
  }
}

export const factoryAdminResolvers = {
  Query: {
    members: async (_: unknown, args: ConnectionArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const page = await membersPage(ctx.services.db, factoryId, pageRequest(args));
      const connection = toConnection(page);
      return { ...connection, edges: connection.edges.map((e) => ({ ...e, node: presentMember(e.node) })) };
    },
    apiKeys: async (_: unknown, args: ConnectionArgs, ctx: ApiContext) =>
      toConnection(await apiKeysPage(ctx.services.db, requireFactoryCaller(ctx).factoryId, pageRequest(args))),
  },
  Mutation: {
    inviteMember: async (_: unknown, args: { email: string; role: Role; name?: string | null }, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const email = args.email.trim().toLowerCase();
      if (!EMAIL.test(email)) throw apiError('BAD_USER_INPUT', `"${args.email}" is not an email address.`);
      let user = await findUserByEmail(ctx.services.db, email);
      let temporaryPassword: string | null = null;
      if (user && (await getMembership(ctx.services.db, factoryId, user.id))) {
        throw apiError('CONFLICT', `${email} is already a member; change their role instead.`);
      }
      if (!user) {
        temporaryPassword = randomBytes(15).toString('base64url');
        user = await createUser(ctx.services.db, { email, name: args.name ?? undefined, passwordHash: await hashPassword(temporaryPassword) });
      }
      await setMembership(ctx.services.db, factoryId, user.id, args.role);
      return { member: presentMember(await memberOf(ctx, factoryId, user.id)), temporaryPassword };
    },
    changeMemberRole: async (_: unknown, args: { userId: string; role: Role }, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const member = await memberOf(ctx, factoryId, args.userId);
      await keepOneAdmin(ctx, factoryId, member, args.role);
      await setMembership(ctx.services.db, factoryId, args.userId, args.role);
      return presentMember(await memberOf(ctx, factoryId, args.userId));
    },
    removeMember: async (_: unknown, args: { userId: string }, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const member = await memberOf(ctx, factoryId, args.userId);
      await keepOneAdmin(ctx, factoryId, member, null);
      await removeMembership(ctx.services.db, factoryId, args.userId);
      return presentMember(member);
    },
    createApiKey: async (_: unknown, args: { name: string; scopes: string[]; expiresAt?: Date | null }, ctx: ApiContext) => {
      const caller = requireFactoryCaller(ctx);
      const name = args.name.trim();
      if (!name || name.length > 100) throw apiError('BAD_USER_INPUT', 'Give the key a name of 1-100 characters (e.g. the line or station).');
      const unknown = args.scopes.filter((s) => !isKnownScope(s));
      if (!args.scopes.length || unknown.length) {
        throw apiError('BAD_USER_INPUT', `Choose scopes among ${API_KEY_SCOPES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}.`);
      }
      if (args.expiresAt && args.expiresAt.getTime() <= Date.now()) throw apiError('BAD_USER_INPUT', 'expiresAt must be in the future.');
      const key = generateApiKey();
      const apiKey = await createApiKey(ctx.services.db, caller.factoryId, {
        name,
        prefix: key.prefix,
        secretHash: key.secretHash,
        scopes: [...new Set(args.scopes)],
        expiresAt: args.expiresAt ?? undefined,
        createdById: caller.kind === 'user' ? caller.userId : undefined,
      });
      return { apiKey, token: key.token };
    },
    revokeApiKey: async (_: unknown, args: { id: string }, ctx: ApiContext) => {
      const revoked = await revokeApiKey(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.id);
      // Verified keys are cached for a few seconds; this process stops accepting it now.
      ctx.services.apiKeyCache?.invalidate(revoked.id);
      return revoked;
    },
  },
};
