import { listAuditLog } from '@gansight/db';
import type { ApiContext } from '../../context';
import { requireFactoryCaller } from '../auth/require-caller';
import { pageRequest, toConnection, type ConnectionArgs } from '../common/connection';

type AuditArgs = ConnectionArgs & { action?: string | null; targetType?: string | null; targetId?: string | null };

export const auditResolvers = {
  Query: {
    auditLog: async (_: unknown, args: AuditArgs, ctx: ApiContext) => {
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
