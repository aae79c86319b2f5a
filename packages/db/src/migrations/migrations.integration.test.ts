import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import { MigrationError } from '../errors';
import { pendingSchemaChanges, schemaDrift } from './create-migration';
import { migrateDatabase } from './migrate-database';
import { defaultMigrationsDir, defaultSchemaPath, readMigrations, toMigrationList } from './migration-files';
import { openSchemaEngine } from './schema-engine';

async function rows(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('schema.prisma and prisma/migrations', () => {
  let migrated: TestDatabase;
  beforeAll(async () => {
    migrated = await createTestDatabase();
  });
  afterAll(async () => {
    await migrated.drop();
  });

  it('a freshly migrated database matches schema.prisma exactly (no drift)', async () => {
    expect(await schemaDrift(migrated.url)).toBe('');
  });

  it('reports drift when the schema and the database disagree', async () => {
    const schema = await readFile(defaultSchemaPath, 'utf8');
    const altered = schema
      .replace('  name         String?\n', '  name         String\n') // User.name made required
      .replace('@@index([factoryId, createdAt])\n}', '}') // first such index: ApiKey
      .replace('  line         String?\n', '  line         String?\n  shift        Int?\n'); // new Image column
    expect(altered).not.toBe(schema);
    const drift = await schemaDrift(migrated.url, { schema: altered });
    expect(drift).toMatch(/`User`[\s\S]*`name`[\s\S]*Required/);
    expect(drift).toMatch(/`ApiKey`[\s\S]*Removed index on columns \(factoryId, createdAt\)/);
    expect(drift).toMatch(/`Image`[\s\S]*Added column `shift`/);
  });

  it('notices changed types, defaults, unique keys and foreign-key actions', async () => {
    const schema = await readFile(defaultSchemaPath, 'utf8');
    const altered = schema
      .replace('label        ImageLabel  @default(UNLABELED)', 'label        ImageLabel  @default(QUALIFIED)')
      .replace('  byteSize     Int\n', '  byteSize     BigInt\n')
      .replace('  @@unique([productId, sha256])\n', '')
      .replace(
        'user    User    @relation(fields: [userId], references: [id], onDelete: Cascade)',
        'user    User    @relation(fields: [userId], references: [id], onDelete: Restrict)',
      );
    const drift = await schemaDrift(migrated.url, { schema: altered });
    expect(drift).toContain('Altered column `label` (default changed');
    expect(drift).toContain('Altered column `byteSize` (type changed)');
    expect(drift).toContain('Removed unique index on columns (productId, sha256)');
    expect(drift).toMatch(/`Membership`[\s\S]*foreign key on columns \(userId\)/);
  });

  it('the migrations already contain every change in schema.prisma (run migrate:new otherwise)', async () => {
    const server = process.env.GANSIGHT_TEST_PG_URL;
    expect(server).toBeTruthy();
    expect(await pendingSchemaChanges(server!)).toBe('');
    const schema = await readFile(defaultSchemaPath, 'utf8');
    const withNewModel = `${schema}\nmodel Shift {\n  id   String @id\n  name String\n}\n`;
    expect(await pendingSchemaChanges(server!, { schema: withNewModel })).toMatch(/CREATE TABLE "Shift"/);
  });
});

describe('migrateDatabase', () => {
  const dbs: TestDatabase[] = [];
  let tmp: string;
  const empty = async () => {
    const db = await createTestDatabase({ migrated: false });
    dbs.push(db);
    return db;
  };
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'gansight-migrations-'));
  });
  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
    await rm(tmp, { recursive: true, force: true });
  });

  it('applies every migration once and records it the way Prisma does', async () => {
    const { url } = await empty();
    const files = await readMigrations();
    expect(files.length).toBeGreaterThan(0);
    const first = await migrateDatabase(url);
    expect(first.applied).toEqual(files.map((f) => f.name));
    const again = await migrateDatabase(url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(files.map((f) => f.name));

    const recorded = await rows(url, 'SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
    expect(recorded).toHaveLength(files.length);
    for (const [i, file] of files.entries()) {
      const bytes = await readFile(path.join(defaultMigrationsDir, file.name, 'migration.sql'));
      expect(recorded[i]).toMatchObject({
        migration_name: file.name,
        checksum: createHash('sha256').update(bytes).digest('hex'),
        applied_steps_count: 1,
        rolled_back_at: null,
      });
      expect(recorded[i].finished_at).toBeInstanceOf(Date);
      expect(recorded[i].id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const tables = await rows(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['Factory', 'Inspection', 'WorkerNode']));
  });

  it("Prisma's own engine agrees the migrations are applied, and notices an edit", async () => {
    const dir = path.join(tmp, 'prisma-view');
    await cp(defaultMigrationsDir, dir, { recursive: true });
    const { url } = await empty();
    await migrateDatabase(url, { migrationsDir: dir });
    const engine = await openSchemaEngine(url);
    try {
      const files = await readMigrations(dir);
      expect(await engine.diagnoseMigrationHistory(await toMigrationList(dir, files))).toEqual({
        editedMigrationNames: [],
        failedMigrationNames: [],
        hasMigrationsTable: true,
        history: null,
      });
      const file = path.join(dir, files[0]!.name, 'migration.sql');
      await writeFile(file, `${await readFile(file, 'utf8')}-- edited\n`);
      const edited = await engine.diagnoseMigrationHistory(await toMigrationList(dir, await readMigrations(dir)));
      expect(edited.editedMigrationNames).toEqual([files[0]!.name]);
    } finally {
      await engine.close();
    }
  });

  it('two processes starting at once migrate only once', async () => {
    const { url } = await empty();
    const results = await Promise.all([migrateDatabase(url), migrateDatabase(url), migrateDatabase(url)]);
    const files = await readMigrations();
    expect(results.flatMap((r) => r.applied).sort()).toEqual(files.map((f) => f.name).sort());
    const recorded = await rows(url, 'SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(recorded[0].n).toBe(files.length);
  });

  it('refuses to start when an applied migration was edited', async () => {
    const dir = path.join(tmp, 'edited');
    await cp(defaultMigrationsDir, dir, { recursive: true });
    const { url } = await empty();
    await migrateDatabase(url, { migrationsDir: dir });
    const [first] = await readMigrations(dir);
    const file = path.join(dir, first!.name, 'migration.sql');
    await writeFile(file, `${await readFile(file, 'utf8')}\n-- an innocent-looking edit\n`);
    const err = await migrateDatabase(url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect(err).toMatchObject({ code: 'MIGRATION_CHECKSUM_MISMATCH' });
    expect((err as Error).message).toContain(first!.name);
  });

  it('rolls a failing migration back completely and records nothing', async () => {
    const dir = path.join(tmp, 'failing');
    await cp(defaultMigrationsDir, dir, { recursive: true });
    const { url } = await empty();
    await migrateDatabase(url, { migrationsDir: dir });
    await mkdir(path.join(dir, '99990101000000_broken'));
    await writeFile(
      path.join(dir, '99990101000000_broken', 'migration.sql'),
      'CREATE TABLE "Half" (id text);\nALTER TABLE "NoSuchTable" ADD COLUMN x int;\n',
    );
    const err = await migrateDatabase(url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MIGRATION_FAILED' });
    expect((err as Error).message).toMatch(/99990101000000_broken.*NoSuchTable/);
    expect(await rows(url, `SELECT 1 FROM pg_tables WHERE tablename = 'Half'`)).toHaveLength(0);
    expect(await rows(url, `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`)).toHaveLength(0);
  });
});
