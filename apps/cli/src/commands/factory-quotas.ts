import { loadConfigOrExit } from '@gansight/config';
import { effectiveQuotas, findFactoryIdByIdOrSlug, getQuotaOverrides, openDatabase, setQuotaOverrides, type QuotaOverrides } from '@gansight/db';

export interface FactoryQuotasOptions {
  maxStoredImages?: string;
  maxConcurrentTrainingRuns?: string;
  maxInspectionsPerMinute?: string;
}

const FLAGS: Record<keyof QuotaOverrides, string> = {
  maxStoredImages: '--max-stored-images',
  maxConcurrentTrainingRuns: '--max-concurrent-training-runs',
  maxInspectionsPerMinute: '--max-inspections-per-minute',
};

/** The overrides the flags ask for: a whole number (0: no limit) or `default` (null); problems listed. */
export function parseQuotaFlags(o: FactoryQuotasOptions): { patch: Partial<QuotaOverrides>; problems: string[] } {
  const patch: Partial<QuotaOverrides> = {};
  const problems: string[] = [];
  for (const [field, flag] of Object.entries(FLAGS) as [keyof QuotaOverrides, string][]) {
    const value = o[field];
    if (value === undefined) continue;
    if (value === 'default') patch[field] = null;
    else if (/^\d{1,10}$/.test(value) && Number(value) <= 2_000_000_000) patch[field] = Number(value);
    else problems.push(`${flag} must be a whole number (0: no limit) or "default", got "${value}"`);
  }
  return { patch, problems };
}

/**
 * `gansight factory quotas <factory>`: the deployment operator sets or clears a factory's quota
 * overrides straight in the database (as `factory create` makes factories), then prints the
 * overrides and the quotas in force as JSON. No API operation can change them (ADR 0059).
 */
export async function factoryQuotasCommand(factory: string, o: FactoryQuotasOptions): Promise<void> {
  const { patch, problems } = parseQuotaFlags(o);
  if (problems.length) {
    process.stderr.write(`Cannot set the quotas:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    process.exit(2);
  }
  const config = loadConfigOrExit();
  const database = await openDatabase(config.database, { onMigration: (name) => process.stderr.write(`applied migration ${name}\n`) });
  try {
    let factoryId: string;
    try {
      factoryId = await findFactoryIdByIdOrSlug(database.db, factory);
    } catch {
      process.stderr.write(`No factory has the id or slug "${factory}".\n`);
      process.exitCode = 2;
      return;
    }
    const overrides = Object.keys(patch).length ? await setQuotaOverrides(database.db, factoryId, patch) : await getQuotaOverrides(database.db, factoryId);
    const inForce = await effectiveQuotas(database.db, factoryId, config.quotas);
    process.stdout.write(`${JSON.stringify({ factoryId, overrides, quotas: inForce, defaults: config.quotas }, null, 2)}\n`);
  } finally {
    await database.close();
  }
}
