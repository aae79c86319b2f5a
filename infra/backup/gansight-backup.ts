// Backup and restore of a whole deployment (database and blobs), run with the deployment's own
// environment (README.md "Configuration"; DATABASE_URL required):
//   node --import tsx infra/backup/gansight-backup.ts backup  --out DIR [--pg-bin DIR]
//   node --import tsx infra/backup/gansight-backup.ts backup  --under DIR  (into DIR/gansight-<UTC time>)
//   node --import tsx infra/backup/gansight-backup.ts restore --from DIR [--pg-bin DIR]
// pg_dump must be at least the server's major version (--pg-bin points at its directory).
// Prints the backup's folder and manifest as JSON; a refusal prints `CODE: message` and exits 2.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@gansight/config';
import { createBlobStore } from '@gansight/storage';
import { backupDeployment } from './backup-deployment';
import { BackupError } from './backup-error';
import { restoreDeployment } from './restore-deployment';

const USAGE = 'usage: gansight-backup.ts backup --out DIR | backup --under DIR | restore --from DIR  [--pg-bin DIR]';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, under: { type: 'string' }, from: { type: 'string' }, 'pg-bin': { type: 'string' } },
  });
  const [command] = positionals;
  // A scheduled job names the parent folder; each run gets its own, sortable by time.
  if (values.under && !values.out) values.out = path.join(values.under, `gansight-${new Date().toISOString().replace(/[-:]|\.\d+/g, '')}`);
  const config = loadConfigOrExit();
  if (!config.database.url) throw new BackupError('BAD_USAGE', 'DATABASE_URL is not set: back up and restore a deployment through its database URL');
  if (!(command === 'backup' && values.out) && !(command === 'restore' && values.from)) throw new BackupError('BAD_USAGE', USAGE);
  const blobs = createBlobStore(config.storage);
  try {
    const manifest =
      command === 'backup'
        ? await backupDeployment({ databaseUrl: config.database.url, blobs, outDir: values.out!, pgBin: values['pg-bin'] })
        : await restoreDeployment({ databaseUrl: config.database.url, blobs, fromDir: values.from!, pgBin: values['pg-bin'] });
    process.stdout.write(`${JSON.stringify({ folder: values.out ?? values.from, ...manifest })}\n`);
  } finally {
    await blobs.close();
  }
}

try {
  await main();
} catch (err) {
  if (!(err instanceof BackupError)) throw err;
  process.stderr.write(`${err.code}: ${err.message}\n`);
  process.exitCode = 2;
}
