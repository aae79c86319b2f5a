import { apiError } from './api-errors';
import type { Caller, Role } from './caller';
import type { Requirement } from './permissions';

const RANK: Record<Role, number> = { VIEWER: 1, MANAGER: 2, ENGINEER: 3, ADMIN: 4 };

/** True when `role` includes everything `needed` may do (ADMIN > ENGINEER > MANAGER > VIEWER). */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** Throws UNAUTHENTICATED or FORBIDDEN unless the caller meets the requirement of `operation`. */
export function authorize(caller: Caller, req: Requirement, operation: string): void {
  if (req.access === 'public') return;
  if (caller.kind === 'anonymous') {
    throw apiError('UNAUTHENTICATED', `${operation} needs credentials: send "Authorization: Bearer <API key or session token>".`);
  }
  // The operator token opens the fleet view only; other callers never reach the fleet's hosts.
  if (req.access === 'platform') {
    if (caller.kind === 'operator') return;
    throw apiError('FORBIDDEN', `${operation} is for the platform operator only; factory admins see the fleet through "workers".`);
  }
  if (caller.kind === 'operator') {
    throw apiError('FORBIDDEN', `The platform operator token reads the worker fleet only (platformWorkers); ${operation} needs a factory's credentials.`);
  }
  if (req.access === 'signedIn') return;
  if (caller.kind === 'account') {
    throw apiError('FORBIDDEN', 'Pick a factory: send its id in the "x-factory-id" header (see myFactories).');
  }
  if (caller.kind === 'user') {
    if (!req.role) throw apiError('FORBIDDEN', `${operation} is only available to API keys.`);
    if (!roleAtLeast(caller.role, req.role)) {
      throw apiError('FORBIDDEN', `${operation} needs the ${req.role} role in this factory; you are ${caller.role}. Ask a factory admin.`);
    }
    return;
  }
  if (!req.scope) throw apiError('FORBIDDEN', `${operation} is not available to API keys; sign in as a user with the ${req.role} role.`);
  if (!caller.scopes.includes(req.scope)) {
    throw apiError('FORBIDDEN', `${operation} needs an API key with the "${req.scope}" scope; ask a factory admin for one.`);
  }
}
