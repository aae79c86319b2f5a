import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedPostgresError } from '../errors';

/**
 * After a crash `postmaster.pid` stays behind. PostgreSQL removes it itself only when it can
 * prove the old process is gone; running as another user than the PID's owner (or after the
 * PID was reused) it cannot, and refuses to start. We decide instead:
 * - the PID is not a postmaster of this data directory: the file is stale, remove it;
 * - it is one, orphaned (the Node process that started it died, e.g. `kill -9`): shut it down;
 * - it is one that a live Node process still owns (`npm start` is running and the operator
 *   runs `gansight factory create`): report its port so the caller can share it.
 */
export async function clearStalePidFile(dataDir: string): Promise<{ pid: number; port: number } | null> {
  // Without /proc we cannot tell; PostgreSQL's own check then decides.
  if (!existsSync('/proc/self/cmdline')) return null;
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = (await readFile(pidFile, 'utf8')).split('\n');
  } catch {
    return null;
  }
  const pid = Number.parseInt(lines[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !(await isPostmasterOf(pid, dataDir))) {
    await rm(pidFile, { force: true });
    return null;
  }
  if (await ownedByLiveNode(pid)) {
    // Line 4 of postmaster.pid is the port (PostgreSQL's documented layout).
    const port = Number.parseInt(lines[3] ?? '', 10);
    if (!Number.isInteger(port) || port <= 0) {
      throw new EmbeddedPostgresError(
        'EMBEDDED_PG_DATA_DIR_IN_USE',
        `Another PostgreSQL (pid ${pid}) is starting or stopping on ${dataDir}; try again in a moment.`,
      );
    }
    return { pid, port };
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && (await isPostmasterOf(pid, dataDir))) await new Promise((r) => setTimeout(r, 100));
  if (await isPostmasterOf(pid, dataDir)) {
    throw new EmbeddedPostgresError(
      'EMBEDDED_PG_DATA_DIR_IN_USE',
      `An orphaned PostgreSQL (pid ${pid}) on ${dataDir} did not stop within 30 s; stop it by hand (kill ${pid}).`,
    );
  }
  await rm(pidFile, { force: true });
  return null;
}

async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
  try {
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return path.basename(argv[0] ?? '') === 'postgres' && argv.some((a) => path.resolve(a) === dataDir);
  } catch {
    return false; // no such process (or no /proc: then PostgreSQL's own check is all we have)
  }
}

// Orphans are re-parented to init or to a container's subreaper, never to a Node process.
async function ownedByLiveNode(pid: number): Promise<boolean> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
    if (!ppid || ppid === 1) return false;
    const argv0 = (await readFile(`/proc/${ppid}/cmdline`, 'utf8')).split('\0')[0] ?? '';
    return /^node/.test(path.basename(argv0));
  } catch {
    return true; // cannot tell: do not kill someone else's server
  }
}
