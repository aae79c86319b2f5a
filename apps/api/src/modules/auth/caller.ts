import type { ApiKeyScope } from '@gansight/contracts';

export type Role = 'ADMIN' | 'ENGINEER' | 'MANAGER' | 'VIEWER';

/**
 * Who is calling, verified before any resolver runs. A factory id here has been checked
 * against a key or a membership; resolvers never read factory ids from headers themselves.
 * `account` is a signed-in user who has not picked a factory (several memberships and no
 * `x-factory-id` header, or none yet): they may list their factories and sign out, nothing else.
 */
export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'apiKey'; factoryId: string; apiKeyId: string; apiKeyName: string; scopes: ApiKeyScope[] }
  | { kind: 'user'; factoryId: string; userId: string; email: string; role: Role; sessionId: string }
  | { kind: 'account'; userId: string; email: string; sessionId: string }
  /** The platform operator (PLATFORM_OPERATOR_TOKEN): the shared infrastructure, no factory's data. */
  | { kind: 'operator' };

/** A caller acting for one verified factory. */
export type FactoryCaller = Extract<Caller, { factoryId: string }>;

/** What the audit trail records as the actor of a change. */
export function auditActor(caller: FactoryCaller) {
  return caller.kind === 'apiKey'
    ? { type: 'API_KEY' as const, apiKeyId: caller.apiKeyId }
    : { type: 'USER' as const, userId: caller.userId };
}
