import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { poolConfigFromUrl } from './connection-url';

/**
 * A database handle. Pass it to the functions of @gansight/db; other packages must not query
 * through it directly (the repositories are where tenant scoping is enforced).
 */
export type Db = PrismaClient;

/** Prisma Client over node-postgres (no native engine). */
export function createDbClient(url: string, options: { maxConnections?: number } = {}): Db {
  const adapter = new PrismaPg({ ...poolConfigFromUrl(url), max: options.maxConnections ?? 10 });
  return new PrismaClient({ adapter });
}

/** Resolves when the database answers a trivial query (for health checks); throws otherwise. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
