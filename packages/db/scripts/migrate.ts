// `npm run migrate -w @gansight/db`: applies pending migrations to DATABASE_URL, or to the
// embedded database under GANSIGHT_DATA_DIR (what `npm start` does anyway at boot).
import { loadConfigOrExit } from '@gansight/config';
import { openDatabase } from '../src/open-database';

const config = loadConfigOrExit();
try {
  const opened = await openDatabase(config.database, { onMigration: (name) => process.stdout.write(`applying ${name}\n`) });
  const { applied, alreadyApplied } = opened.migrations;
  process.stdout.write(`${applied.length} applied, ${alreadyApplied.length} already applied (${opened.embedded ? `embedded, ${opened.embedded.dataDir}` : 'DATABASE_URL'})\n`);
  await opened.close();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
