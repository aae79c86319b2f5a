import { createSession, listMembershipsForUser } from '@gansight/db';
import type { ApiContext } from '../../context';
import { generateSessionToken, SESSION_LIFETIME_MS } from './session-tokens';

/** Signs a verified user in: a new session (token and, over HTTP, cookie) and their factories. */
export async function startSession(ctx: ApiContext, user: { id: string; email: string; name: string | null }) {
  const memberships = await listMembershipsForUser(ctx.services.db, user.id);
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
    factories: memberships.map((m) => ({ factory: m.factory, role: m.role })),
  };
}
