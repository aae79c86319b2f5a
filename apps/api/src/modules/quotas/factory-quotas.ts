import { DEFAULT_QUOTAS } from '@gansight/config';
import { effectiveQuotas, type QuotaLimits } from '@gansight/db';
import type { ApiContext } from '../../context';

/** The factory's quotas in force: the operator's overrides, else the deployment's QUOTA_* defaults. */
export function factoryQuotas(ctx: ApiContext, factoryId: string): Promise<QuotaLimits> {
  return effectiveQuotas(ctx.services.db, factoryId, ctx.services.quotas ?? DEFAULT_QUOTAS);
}
