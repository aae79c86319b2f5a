import {
  countMembersWithRole,
  createApiKey,
  createUser,
  findMember,
  findUserByEmail,
  getMembership,
  listApiKeysPage,
  listMembersPage,
  removeMembership,
  revokeApiKey,
  setMembership,
  type MemberWithUser,
  type Role,
} from '@gansight/db';
import type {
  MutationAcceptInvitationArgs,
  MutationChangeMemberRoleArgs,
  MutationCreateApiKeyArgs,
  MutationInviteMemberArgs,
  MutationRemoveMemberArgs,
  MutationRevokeApiKeyArgs,
  QueryApiKeysArgs,
  QueryMembersArgs,
} from '@gansight/contracts/schema-types';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { wrongCredentials, MIN_PASSWORD_LENGTH } from '../auth/auth.resolvers';
import { generateApiKey, hashPassword, verifyPassword, API_KEY_SCOPES, isKnownScope } from '@gansight/contracts';
import { startSession } from '../auth/start-session';
import { chargePasswordAttempt } from '../auth/password-attempts';
import { INVITATION_LIFETIME_MS, readInvitation, signInvitation } from './invitations';
import { joinByInvitation } from './join-by-invitation';
import { requireFactoryCaller } from '../auth/require-caller';
import { pageRequest, toConnection } from '../common/connection';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type MemberRow = MemberWithUser;

function presentMember(m: MemberRow) {
  return { id: m.id, userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt };
}

async function memberOf(ctx: ApiContext, factoryId: string, userId: string) {
  const found = await findMember(ctx.services.db, factoryId, userId);
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
    members: async (_: unknown, args: QueryMembersArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const page = await listMembersPage(ctx.services.db, factoryId, pageRequest(args));
      const connection = toConnection(page);
      return { ...connection, edges: connection.edges.map((e) => ({ ...e, node: presentMember(e.node) })) };
    },
    apiKeys: async (_: unknown, args: QueryApiKeysArgs, ctx: ApiContext) =>
      toConnection(await listApiKeysPage(ctx.services.db, requireFactoryCaller(ctx).factoryId, pageRequest(args))),
  },
  Mutation: {
    // Nothing is written and the answer is the same whether or not the email has an account
    // somewhere: what an admin of one factory learns must not tell them who uses another.
    inviteMember: async (_: unknown, args: MutationInviteMemberArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const email = args.email.trim().toLowerCase();
      if (!EMAIL.test(email)) throw apiError('BAD_USER_INPUT', `"${args.email}" is not an email address.`);
      // Already a member here: the admin can see that in `members` anyway.
      const user = await findUserByEmail(ctx.services.db, email);
      if (user && (await getMembership(ctx.services.db, factoryId, user.id))) {
        throw apiError('CONFLICT', `${email} is already a member; change their role instead.`);
      }
      const issuedAt = Date.now();
      const expiresAt = issuedAt + INVITATION_LIFETIME_MS;
      const code = signInvitation(ctx.services.secret, { factoryId, email, role: args.role, issuedAt, expiresAt });
      // temporaryPassword is the same code: what a new person signs in with the first time.
      return { invitation: { email, role: args.role, expiresAt: new Date(expiresAt), code }, temporaryPassword: code };
    },
    // Public: the code is the credential. An existing account proves itself with its password
    // (nobody joins a factory without consent); a new email chooses its password here.
    acceptInvitation: async (_: unknown, args: MutationAcceptInvitationArgs, ctx: ApiContext) => {
      const claims = readInvitation(ctx.services.secret, args.code);
      const db = ctx.services.db;
      // The same attempts as `login` for this email: an invitation must not be a second door to guess through.
      const refund = await chargePasswordAttempt(ctx, `email:${claims.email}`);
      let user = await findUserByEmail(db, claims.email);
      if (user) {
        if (!(await verifyPassword(user.passwordHash, args.password))) throw wrongCredentials();
      } else {
        if (args.password.length < MIN_PASSWORD_LENGTH) throw apiError('BAD_USER_INPUT', `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
        user = await createUser(db, { email: claims.email, name: args.name?.trim() || undefined, passwordHash: await hashPassword(args.password) });
      }
      await refund();
      await joinByInvitation(ctx, claims, user);
      return startSession(ctx, user);
    },
    changeMemberRole: async (_: unknown, args: MutationChangeMemberRoleArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const member = await memberOf(ctx, factoryId, args.userId);
      await keepOneAdmin(ctx, factoryId, member, args.role);
      await setMembership(ctx.services.db, factoryId, args.userId, args.role);
      return presentMember(await memberOf(ctx, factoryId, args.userId));
    },
    removeMember: async (_: unknown, args: MutationRemoveMemberArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const member = await memberOf(ctx, factoryId, args.userId);
      await keepOneAdmin(ctx, factoryId, member, null);
      await removeMembership(ctx.services.db, factoryId, args.userId);
      return presentMember(member);
    },
    createApiKey: async (_: unknown, args: MutationCreateApiKeyArgs, ctx: ApiContext) => {
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
    revokeApiKey: async (_: unknown, args: MutationRevokeApiKeyArgs, ctx: ApiContext) => {
      const revoked = await revokeApiKey(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.id);
      // Verified keys are cached for a few seconds; this process stops accepting it now.
      ctx.services.apiKeyCache?.invalidate(revoked.id);
      return revoked;
    },
  },
};
