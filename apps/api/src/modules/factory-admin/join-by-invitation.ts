import { createUser, getMembership, recordAudit, setMembership, type User } from '@gansight/db';
import type { ApiContext } from '../../context';
import { hashPassword } from '@gansight/contracts';
import { invitationRefused, readInvitation, type InvitationClaims } from './invitations';

/**
 * Makes a verified invitee a member at the invited role (once; accepting again changes nothing).
 * Codes are not stored, so one issued before this person was removed must not bring them back.
 */
export async function joinByInvitation(ctx: ApiContext, claims: InvitationClaims, user: Pick<User, 'id'>): Promise<void> {
  const db = ctx.services.db;
  if (await getMembership(db, claims.factoryId, user.id)) return;
  const removed = await db.auditLog.findFirst({
    where: { factoryId: claims.factoryId, action: 'removeMember', createdAt: { gt: new Date(claims.issuedAt) }, details: { path: ['userId'], equals: user.id } },
    select: { id: true },
  });
  if (removed) throw invitationRefused();
  const membership = await setMembership(db, claims.factoryId, user.id, claims.role);
  await recordAudit(db, claims.factoryId, {
    actor: { type: 'USER', userId: user.id },
    action: 'acceptInvitation',
    targetType: 'Member',
    targetId: membership.id,
    details: { email: claims.email, role: claims.role },
  });
}

/**
 * A new person's first sign-in with their invitation code as temporary password (what an admin
 * hands over, like a temporary password): the account is created with that password and joins.
 * Null when `code` is no valid invitation for `email`; never used for an existing account.
 */
export async function firstSignInWithInvitation(ctx: ApiContext, email: string, code: string): Promise<User | null> {
  let claims: InvitationClaims;
  try {
    claims = readInvitation(ctx.services.secret, code);
  } catch {
    return null;
  }
  if (claims.email !== email) return null;
  const user = await createUser(ctx.services.db, { email, passwordHash: await hashPassword(code) });
  await joinByInvitation(ctx, claims, user);
  return user;
}
