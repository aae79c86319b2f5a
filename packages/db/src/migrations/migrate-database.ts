import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { MigrationError } from '../errors';
import { defaultMigrationsDir, readMigrations, type MigrationFile } from './migration-files';

// The key `prisma migrate deploy` locks too, so our start-up migrator and Prisma's CLI
// exclude each other as well as two Gansight processes starting at once.
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// Prisma's own table definition, so that Prisma tooling reads our records as its own.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrateResult {
  /** Migrations applied by this call, in order. */
  applied: string[];
  /** Migrations that were already applied before. */
  alreadyApplied: string[];
}

export interface MigrateOptions {
  migrationsDir?: string;
  /** Called before each migration is applied. */
  onApply?: (name: string) => void;
}

/**
 * Applies pending migrations from prisma/migrations in order, each in its own transaction,
 * recording them in `_prisma_migrations` exactly as `prisma migrate deploy` would.
 */
export async function migrateDatabase(url: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = await readMigrations(options.migrationsDir ?? defaultMigrationsDir);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
      );
      const pending = checkHistory(migrations, rows);
      const applied: string[] = [];
      for (const migration of pending) {
        options.onApply?.(migration.name);
        await applyOne(client, migration);
        applied.push(migration.name);
      }
      return { applied, alreadyApplied: migrations.filter((m) => !applied.includes(m.name)).map((m) => m.name) };
    } finally {
      // Ending the session releases the lock anyway; don't let a failed unlock hide the real error.
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

/** The migrations still to apply; throws when the recorded history cannot be trusted. */
function checkHistory(migrations: MigrationFile[], rows: AppliedRow[]): MigrationFile[] {
  const live = rows.filter((r) => r.rolled_back_at === null);
  const failed = live.filter((r) => r.finished_at === null);
  if (failed.length > 0) {
    throw new MigrationError(
      'MIGRATION_HISTORY',
      `Migration ${failed.map((r) => r.migration_name).join(', ')} started but never finished on this database. ` +
        'Repair the database by hand, then mark it rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() ...) ' +
        'or resolve it with `prisma migrate resolve`.',
    );
  }
  const pending: MigrationFile[] = [];
  for (const migration of migrations) {
    const row = live.find((r) => r.migration_name === migration.name);
    if (!row) {
      pending.push(migration);
    } else if (row.checksum !== migration.checksum) {
      throw new MigrationError(
        'MIGRATION_CHECKSUM_MISMATCH',
        `Migration ${migration.name} was changed after it was applied to this database ` +
          `(recorded checksum ${row.checksum}, file now ${migration.checksum}). ` +
          'Applied migrations must never be edited: restore the original file and put the change in a new migration.',
      );
    }
  }
  return pending;
}

async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  // One transaction for the script and its record: a failure leaves neither behind, so a
  // fixed migration can simply be retried (PostgreSQL DDL is transactional).
  await client.query('BEGIN');
  try {
    const id = randomUUID();
    await client.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
      [id, migration.checksum, migration.name],
    );
    await client.query(migration.sql);
    await client.query(
      'UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1',
      [id],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new MigrationError('MIGRATION_FAILED', `Migration ${migration.name} failed and was rolled back: ${reason}`, {
      cause: err,
    });
  }
}
