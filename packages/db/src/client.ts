import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client';
import { poolConfigFromUrl } from './connection-url';

/**
 * A database handle. Pass it to the functions of @gansight/db; other packages must not query
 * through it directly (the repositories are where tenant scoping is enforced).
 */
export type Db = PrismaClient;

export interface DbClientOptions {
  maxConnections?: number;
  /**
   * Called with the text of every SQL statement sent to PostgreSQL (transaction control
   * included), e.g. for tests that bound the statements a request costs. Unset in production.
   */
  onStatement?: (sql: string) => void;
}

/** Prisma Client over node-postgres (no native engine). */
export function createDbClient(url: string, options: DbClientOptions = {}): Db {
  const config: pg.PoolConfig = { ...poolConfigFromUrl(url), max: options.maxConnections ?? 10 };
  if (options.onStatement) config.Client = statementObservingClient(options.onStatement);
  return new PrismaClient({ adapter: new PrismaPg(config) });
}

// The pool builds its connections from this class, so every statement of every connection,
// whatever Prisma sends (model operations, raw SQL, BEGIN/COMMIT), passes through query().
function statementObservingClient(onStatement: (sql: string) => void): typeof pg.Client {
  return class StatementObservingClient extends pg.Client {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
      const first = args[0] as string | { text?: string } | undefined;
      const text = typeof first === 'string' ? first : first?.text;
      if (text !== undefined) onStatement(text);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (super.query as (...a: any[]) => any)(...args);
    }
  };
}

/** Resolves when the database answers a trivial query (for health checks); throws otherwise. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
