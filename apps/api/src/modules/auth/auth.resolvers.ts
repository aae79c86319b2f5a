import {
  findUserByEmail,
  getFactory,
  getUser,
  listMembershipsForUser,
  revokeSession,
  setUserPassword,
} from '@gansight/db';
import type { MutationChangePasswordArgs, MutationLoginArgs } from '@gansight/contracts/schema-types';
import type { ApiContext } from '../../context';
import { apiError } from './api-errors';
import { hashPassword, verifyPassword } from '@gansight/contracts';
import { requireCaller } from './require-caller';
import { startSession } from './start-session';
import { chargePasswordAttempt } from './password-attempts';
import { firstSignInWithInvitation } from '../factory-admin/join-by-invitation';

// Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
export const DUMMY_HASH = hashPassword('not a real password, only spends time');
export const MIN_PASSWORD_LENGTH = 12;

export const wrongCredentials = () => apiError('UNAUTHENTICATED', 'The email or password is wrong.');

function presentMemberships(rows: Awaited<ReturnType<typeof listMembershipsForUser>>) {
  return rows.map((m) => ({ factory: m.factory, role: m.role }));
}

export const authResolvers = {
  Query: {
    myFactories: async (_: unknown, __: unknown, ctx: ApiContext) => {
      const caller = requireCaller(ctx);
      if (caller.kind === 'apiKey') {
        const { id, name, slug } = await getFactory(ctx.services.db, caller.factoryId);
        return [{ factory: { id, name, slug }, role: null }];
      }
      return presentMemberships(await listMembershipsForUser(ctx.services.db, caller.userId));
    },
  },
  Mutation: {
    login: async (_: unknown, args: MutationLoginArgs, ctx: ApiContext) => {
      const email = args.email.trim().toLowerCase();
      // Attempts are throttled per email (in PostgreSQL, shared by every API process), so one
      // account cannot be guessed at from many connections or replicas.
      const refund = await chargePasswordAttempt(ctx, `email:${email}`);
      let user = await findUserByEmail(ctx.services.db, email);
      let ok = await verifyPassword(user?.passwordHash ?? (await DUMMY_HASH), args.password);
      if (!user && args.password.startsWith('gsi_')) {
        user = await firstSignInWithInvitation(ctx, email, args.password);
        ok = user !== null;
      }
      if (!user || !ok) throw wrongCredentials();
      await refund();
      if (args.factoryId && !(await listMembershipsForUser(ctx.services.db, user.id)).some((m) => m.factoryId === args.factoryId)) {
        throw apiError('FORBIDDEN', `You cannot act for factory ${args.factoryId}: it is not one of yours.`);
      }
      return startSession(ctx, user);
    },
    logout: async (_: unknown, __: unknown, ctx: ApiContext) => {
      const caller = requireCaller(ctx);
      if (caller.kind === 'apiKey') throw apiError('FORBIDDEN', 'API keys do not sign in or out; ask an admin to revoke the key.');
      await revokeSession(ctx.services.db, caller.userId, caller.sessionId);
      ctx.cookies?.clear();
      return true;
    },
    changePassword: async (_: unknown, args: MutationChangePasswordArgs, ctx: ApiContext) => {
      const caller = requireCaller(ctx);
      if (caller.kind === 'apiKey') throw apiError('FORBIDDEN', 'API keys have no password.');
      if (args.newPassword.length < MIN_PASSWORD_LENGTH) {
        throw apiError('BAD_USER_INPUT', `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
      }
      // A stolen session must not become a way to guess the password behind it.
      const refund = await chargePasswordAttempt(ctx, `user:${caller.userId}`);
      const user = await getUser(ctx.services.db, caller.userId);
      if (!(await verifyPassword(user.passwordHash, args.currentPassword))) throw wrongCredentials();
      await refund();
      // Other sessions end: a password change is often a reaction to a leaked one.
      await setUserPassword(ctx.services.db, user.id, await hashPassword(args.newPassword), { keepSessionId: caller.sessionId });
      return true;
    },
  },
};
