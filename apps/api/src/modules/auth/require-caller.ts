import type { ApiContext } from '../../context';
import { apiError } from './api-errors';
import type { Caller } from './caller';

/** The authenticated caller, or UNAUTHENTICATED for anonymous requests. */
export function requireCaller(ctx: ApiContext): Exclude<Caller, { kind: 'anonymous' }> {
  if (ctx.caller.kind === 'anonymous') {
    throw apiError('UNAUTHENTICATED', 'Send an API key as "Authorization: Bearer <key>" (see docs/API.md).');
  }
  return ctx.caller;
}
