import {
  createSession,
  findUserByEmail,
  getFactory,
  getUser,
  listMembershipsForUser,
  revokeSession,
  setUserPassword,
} from '@gansight/db';
import type { ApiContext } from '../../context';
import { apiError } from './api-errors';
import { hashPassword, verifyPassword } from './credentials';
import { requireCaller } from './require-caller';
import { generateSessionToken, SESSION_LIFETIME_MS } from './session-tokens';

// Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
const DUMMY_HASH = hashPassword('not a real password, only spends time');
export const MIN_PASSWORD_LENGTH = 12;

const wrongCredentials = () => apiError('UNAUTHENTICATED', 'The email or password is wrong.');

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
    login: async (_: unknown, args: { email: string; password: string; factoryId?: string | null }, ctx: ApiContext) => {
      const email = args.email.trim().toLowerCase();
      // Failed attempts are throttled per email, so one account cannot be guessed at from many
      // connections; successful sign-ins cost nothing.
      const wait = ctx.services.loginLimiter?.wait(email) ?? 0;
      if (wait > 0) throw apiError('RATE_LIMITED', `Too many sign-in attempts; try again in ${wait} s.`, { retryAfterSeconds: wait });
      const user = await findUserByEmail(ctx.services.db, email);
      const ok = await verifyPassword(user?.passwordHash ?? (await DUMMY_HASH), args.password);
      if (!user || !ok) {
        ctx.services.loginLimiter?.take(email);
        throw wrongCredentials();
      }
      const memberships = await listMembershipsForUser(ctx.services.db, user.id);
      if (args.factoryId && !memberships.some((m) => m.factoryId === args.factoryId)) {
        throw apiError('FORBIDDEN', `You cannot act for factory ${args.factoryId}: it is not one of yours.`);
      }
      const { token, tokenHash } = generateSessionToken();
      const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
      await createSession(ctx.services.db, {
        userId: user.id,
        tokenHash,
        expiresAt,
        userAgent: ctx.request?.userAgent?.slice(0, 300),
        ip: ctx.request?.ip,
      });
      // Browsers keep the session in an HttpOnly cookie as well; API clients use the token.
      ctx.cookies?.set(token, expiresAt);
      return {
        token,
        expiresAt: expiresAt.toISOString(),
        user: { id: user.id, email: user.email, name: user.name },
        factories: presentMemberships(memberships),
      };
    },
    logout: async (_: unknown, __: unknown, ctx: ApiContext) => {
      const caller = requireCaller(ctx);
      if (caller.kind === 'apiKey') throw apiError('FORBIDDEN', 'API keys do not sign in or out; ask an admin to revoke the key.');
      await revokeSession(ctx.services.db, caller.userId, caller.sessionId);
      ctx.cookies?.clear();
      return true;
    },
    changePassword: async (_: unknown, args: { currentPassword: string; newPassword: string }, ctx: ApiContext) => {
      const caller = requireCaller(ctx);
      if (caller.kind === 'apiKey') throw apiError('FORBIDDEN', 'API keys have no password.');
      if (args.newPassword.length < MIN_PASSWORD_LENGTH) {
        throw apiError('BAD_USER_INPUT', `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
      }
      const user = await getUser(ctx.services.db, caller.userId);
      if (!(await verifyPassword(user.passwordHash, args.currentPassword))) throw wrongCredentials();
      // Other sessions end: a password change is often a reaction to a leaked one.
      await setUserPassword(ctx.services.db, user.id, await hashPassword(args.newPassword), { keepSessionId: caller.sessionId });
      return true;
    },
  },
};
