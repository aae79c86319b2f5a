// `npm run migrate:new -w @gansight/db -- <name>`: writes prisma/migrations/<timestamp>_<name>/
// from the difference between the existing migrations and prisma/schema.prisma. Works offline:
// it uses Prisma's schema engine compiled to WebAssembly (see packages/db/README.md) and a
// shadow database on DATABASE_URL's server, or on a temporary embedded PostgreSQL.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMigration } from '../src/migrations/create-migration';
import { startEmbeddedPostgres } from '../src/embedded/embedded-postgres';

const name = process.argv.slice(2).join(' ').trim();
if (!name) {
  process.stderr.write('Usage: npm run migrate:new -w @gansight/db -- <name>   (e.g. add_lot_notes)\n');
  process.exit(2);
}

let stopServer: (() => Promise<void>) | undefined;
let tmp: string | undefined;
try {
  let url = process.env.DATABASE_URL;
  if (!url) {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'gansight-migrate-'));
    await chmod(tmp, 0o755); // the embedded server may run as the postgres user
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: 0 });
    stopServer = server.stop;
    url = server.url;
  }
  const created = await createMigration(url, name);
  if (created) {
    process.stdout.write(`Wrote prisma/migrations/${created.name}/migration.sql\n`);
  } else {
    process.stdout.write('prisma/schema.prisma already matches the migrations; nothing written.\n');
  }
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await stopServer?.();
  if (tmp) await rm(tmp, { recursive: true, force: true });
}
