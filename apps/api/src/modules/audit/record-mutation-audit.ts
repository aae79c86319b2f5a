import type { GraphQLResolveInfo } from 'graphql';
import { gql } from '../../graphql-runtime';
import { recordAudit } from '@gansight/db';
import type { ApiContext } from '../../context';
import { auditActor } from '../auth/caller';
import { requireFactoryCaller } from '../auth/require-caller';
import { boundAuditDetails } from './bound-audit-details';

/** The changed row: the result itself when it has an id, else its first member that has one. */
function targetOf(result: unknown): { type?: string; id?: string } {
  if (!result || typeof result !== 'object') return {};
  const record = result as Record<string, unknown>;
  if (typeof record.id === 'string') return { id: record.id };
  for (const [key, value] of Object.entries(record)) {
    const id = value && typeof value === 'object' ? (value as Record<string, unknown>).id : undefined;
    if (typeof id === 'string') return { type: key.charAt(0).toUpperCase() + key.slice(1), id };
  }
  return {};
}

/** Appends "who did what to which row" for a mutation that succeeded. */
export async function recordMutationAudit(ctx: ApiContext, info: GraphQLResolveInfo, args: unknown, result: unknown): Promise<void> {
  const caller = requireFactoryCaller(ctx);
  const target = targetOf(result);
  const fieldName = info.fieldName;
  await recordAudit(ctx.services.db, caller.factoryId, {
    actor: auditActor(caller),
    action: fieldName,
    targetType: target.id ? (target.type ?? gql.getNamedType(info.returnType).name) : undefined,
    targetId: target.id,
    details: boundAuditDetails(args) as Record<string, never>,
  });
}
