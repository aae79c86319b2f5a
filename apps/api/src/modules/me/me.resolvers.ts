import { getFactory } from '@gansight/db';
import type { ApiContext } from '../../context';
import { requireCaller } from '../auth/require-caller';

export const meResolvers = {
  Query: {
    me: async (_: unknown, __: unknown, ctx: ApiContext) => {
      const caller = requireCaller(ctx);
      const factory = caller.kind === 'account' ? null : await getFactory(ctx.services.db, caller.factoryId);
      return {
        kind: caller.kind === 'apiKey' ? 'API_KEY' : 'USER',
        factory: factory && { id: factory.id, name: factory.name, slug: factory.slug },
        role: caller.kind === 'user' ? caller.role : null,
        scopes: caller.kind === 'apiKey' ? caller.scopes : null,
        apiKeyName: caller.kind === 'apiKey' ? caller.apiKeyName : null,
        email: caller.kind === 'apiKey' ? null : caller.email,
        userId: caller.kind === 'apiKey' ? null : caller.userId,
      };
    },
  },
};
