import { existsSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedPostgresError } from '../errors';

/** A live PostgreSQL that already serves the cluster, and the process that started it. */
export interface RunningServer {
  pid: number;
  port: number;
  /** The process that started it (its parent), e.g. `1234 (node apps/cli/src/bin.ts start)`. */
  owner: string;
}

/** Client connections to the server on `port`, ours not counted; null when it does not accept connections. */
export type CountClients = (port: number) => Promise<number | null>;

/**
 * Reads `postmaster.pid` before anything is started or stopped (issue 13, item 12). PostgreSQL
 * removes a stale file itself only when it can prove the old process is gone; running as another
 * user than the pid's owner (or after the pid was reused) it cannot, and refuses to start. So:
 * - the pid is not a live postmaster of this cluster: the file is stale; removed, null;
 * - a live postmaster that nobody uses (no client connected) and whose starter is gone (the
 *   Node process that started it died, e.g. `kill -9` of `npm start`): an orphan; shut down, null;
 * - anything else is in use: returned, never stopped. Who uses a server is decided by its
 *   connections, not by the name of its parent process alone: a live `gansight start` whose
 *   process is not called `node` (a process manager, PID 1 in a container) was once taken for
 *   an orphan and shut down under the processes using it.
 */
export async function clearStalePidFile(clusterDir: string, countClients: CountClients): Promise<RunningServer | null> {
  // Without /proc we cannot tell; PostgreSQL's own check then decides.
  if (!existsSync('/proc/self/cmdline')) return null;
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = (await readFile(pidFile, 'utf8')).split('\n');
  } catch {
    return null;
  }
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const kind = Number.isInteger(pid) && pid > 0 ? await processKind(pid, clusterDir) : 'gone';
  if (kind === 'unknown') return null; // alive but unreadable (another user, hidepid): PostgreSQL decides
  if (kind !== 'postmaster') {
    await rm(pidFile, { force: true });
    return null;
  }
  // Line 4 of postmaster.pid is the port (PostgreSQL's documented layout).
  const port = Number.parseInt(lines[3] ?? '', 10);
  const clients = Number.isInteger(port) && port > 0 ? await acceptedClients(port, countClients) : null;
  const starter = await parentOf(pid);
  if (clients === null) {
    throw new EmbeddedPostgresError(
      'EMBEDDED_PG_DATA_DIR_IN_USE',
      `PostgreSQL (pid ${pid}, started by ${starter.description}) holds ${clusterDir} but does not accept connections; it may be starting or stopping. Try again in a moment.`,
    );
  }
  if (clients > 0 || starter.isNode) return { pid, port, owner: starter.description };

  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (await processKind(pid, clusterDir)) === 'postmaster') await new Promise((r) => setTimeout(r, 100));
  if ((await processKind(pid, clusterDir)) === 'postmaster') {
    throw new EmbeddedPostgresError(
      'EMBEDDED_PG_DATA_DIR_IN_USE',
      `An orphaned PostgreSQL (pid ${pid}) on ${clusterDir} did not stop within 30 s; stop it by hand (kill ${pid}).`,
    );
  }
  await rm(pidFile, { force: true });
  return null;
}

/** Waits (up to 15 s) for a server that may be starting to accept connections. */
async function acceptedClients(port: number, countClients: CountClients): Promise<number | null> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const n = await countClients(port);
    if (n !== null || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function processKind(pid: number, clusterDir: string): Promise<'postmaster' | 'other' | 'gone' | 'unknown'> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return 'gone';
  }
  let argv: string[];
  try {
    argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
  } catch {
    return existsSync(`/proc/${pid}`) ? 'unknown' : 'gone';
  }
  if (path.basename(argv[0] ?? '') !== 'postgres') return 'other';
  return (await sameDirectory(pid, argv, clusterDir)) ? 'postmaster' : 'other';
}

/**
 * Whether the postgres process `pid` serves `clusterDir`: PostgreSQL works in its data
 * directory, so its cwd is compared by device and inode (no path spelling, symlink or relative
 * -D can fool that); where the cwd cannot be read, the -D argument's real path.
 */
async function sameDirectory(pid: number, argv: string[], clusterDir: string): Promise<boolean> {
  const want = await stat(clusterDir).catch(() => null);
  if (!want) return false;
  const cwd = await stat(`/proc/${pid}/cwd`).catch(() => null);
  if (cwd) return cwd.dev === want.dev && cwd.ino === want.ino;
  const d = argv.indexOf('-D');
  const given = d >= 0 ? argv[d + 1] : undefined;
  const s = given ? await stat(given).catch(() => null) : null;
  return !!s && s.dev === want.dev && s.ino === want.ino;
}

// Orphans are re-parented to init or to a container's subreaper, never to a Node process.
async function parentOf(pid: number): Promise<{ isNode: boolean; description: string }> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
    const argv = (await readFile(`/proc/${ppid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
    return { isNode: ppid > 1 && path.basename(argv[0] ?? '').startsWith('node'), description: `pid ${ppid} (${argv.join(' ').slice(0, 120)})` };
  } catch {
    return { isNode: true, description: 'a process we cannot see' }; // cannot tell: do not kill someone else's server
  }
}
