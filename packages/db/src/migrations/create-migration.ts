import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  defaultMigrationsDir,
  defaultSchemaPath,
  MIGRATION_LOCK_CONTENT,
  MIGRATION_LOCK_FILE,
  migrationDirName,
  readMigrations,
  toMigrationList,
} from './migration-files';
import { connectedDatabaseTarget, migrationsTarget, openSchemaEngine, schemaTarget } from './schema-engine';

export interface SchemaSources {
  schemaPath?: string;
  /** Schema text to use instead of reading schemaPath. */
  schema?: string;
  migrationsDir?: string;
}

async function loadSources(sources: SchemaSources) {
  const migrationsDir = sources.migrationsDir ?? defaultMigrationsDir;
  const schemaPath = sources.schemaPath ?? defaultSchemaPath;
  const schema = sources.schema ?? (await readFile(schemaPath, 'utf8'));
  const migrations = await readMigrations(migrationsDir);
  const from = migrations.length
    ? migrationsTarget(await toMigrationList(migrationsDir, migrations))
    : ({ tag: 'empty' } as const);
  return { migrationsDir, schemaPath, schema, from, to: schemaTarget(schema, path.basename(schemaPath)) };
}

/**
 * SQL that brings a database migrated with the current migrations up to schema.prisma.
 * `serverUrl` is any PostgreSQL server we may create a throw-away shadow database on.
 */
export async function pendingSchemaChanges(serverUrl: string, sources: SchemaSources = {}): Promise<string> {
  const { from, to } = await loadSources(sources);
  const engine = await openSchemaEngine(serverUrl);
  try {
    return await engine.diffScript(from, to);
  } finally {
    await engine.close();
  }
}

/**
 * Writes `<migrationsDir>/<timestamp>_<name>/migration.sql` with the changes from the current
 * migrations to schema.prisma; returns its directory name, or null when there is nothing to do.
 */
export async function createMigration(
  serverUrl: string,
  name: string,
  sources: SchemaSources = {},
): Promise<{ name: string; sql: string } | null> {
  const { migrationsDir } = await loadSources(sources);
  const sql = await pendingSchemaChanges(serverUrl, sources);
  if (!sql) return null;
  const dirName = migrationDirName(name);
  await mkdir(path.join(migrationsDir, dirName), { recursive: true });
  await writeFile(path.join(migrationsDir, dirName, 'migration.sql'), `${sql}\n`);
  if (!existsSync(path.join(migrationsDir, MIGRATION_LOCK_FILE))) {
    await writeFile(path.join(migrationsDir, MIGRATION_LOCK_FILE), MIGRATION_LOCK_CONTENT);
  }
  return { name: dirName, sql };
}

/**
 * Differences between a live database and schema.prisma, as a human-readable summary
 * ('' when the database matches the schema exactly).
 */
export async function schemaDrift(databaseUrl: string, sources: SchemaSources = {}): Promise<string> {
  const { to, schema } = await loadSources(sources);
  const engine = await openSchemaEngine(databaseUrl);
  try {
    return await engine.diffSummary(connectedDatabaseTarget(schema), to);
  } finally {
    await engine.close();
  }
}
