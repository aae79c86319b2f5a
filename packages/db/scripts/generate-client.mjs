// Runs `prisma generate` offline. The Prisma CLI insists on locating its native schema
// engine even though generation never executes it, and that binary cannot be downloaded
// here (see docs/adr/0002-offline-prisma-migrations.md), so we point it at an existing executable.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
if (!existsSync(path.join(root, 'prisma/schema.prisma'))) {
  console.log('[db] no prisma/schema.prisma yet; skipping client generation');
  process.exit(0);
}
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const res = spawnSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'generate'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
