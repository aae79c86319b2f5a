import { listAuditLog } from '@gansight/db';
import type { QueryAuditLogArgs } from '@gansight/contracts/schema-types';
import type { ApiContext } from '../../context';
import { requireFactoryCaller } from '../auth/require-caller';
import { pageRequest, toConnection } from '../common/connection';

export const auditResolvers = {
  Query: {
    auditLog: async (_: unknown, args: QueryAuditLogArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const filter = {
        ...(args.action ? { action: args.action } : {}),
        ...(args.targetType ? { targetType: args.targetType } : {}),
        ...(args.targetId ? { targetId: args.targetId } : {}),
      };
      return toConnection(await listAuditLog(ctx.services.db, factoryId, filter, pageRequest(args)));
    },
  },
};
