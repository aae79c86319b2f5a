import type { ApiContext } from '../../context';
import { apiError } from './api-errors';
import type { Caller, FactoryCaller } from './caller';

/**
 * The authenticated caller of a factory or an account, or UNAUTHENTICATED for anonymous
 * requests. The platform operator never gets this far (the permission table lets it call
 * `platformWorkers` only); refusing it here too keeps a mistake in the table from reaching data.
 */
export function requireCaller(ctx: ApiContext): Exclude<Caller, { kind: 'anonymous' } | { kind: 'operator' }> {
  if (ctx.caller.kind === 'anonymous') {
    throw apiError('UNAUTHENTICATED', 'Send an API key or session token as "Authorization: Bearer <token>" (see docs/API.md).');
  }
  if (ctx.caller.kind === 'operator') throw apiError('FORBIDDEN', 'The platform operator token reads the worker fleet only.');
  return ctx.caller;
}

/** The caller with its verified factory; FORBIDDEN for a user who has not picked one. */
export function requireFactoryCaller(ctx: ApiContext): FactoryCaller {
  const caller = requireCaller(ctx);
  if (caller.kind === 'account') {
    throw apiError('FORBIDDEN', 'Pick a factory: send its id in the "x-factory-id" header (see myFactories).');
  }
  return caller;
}
