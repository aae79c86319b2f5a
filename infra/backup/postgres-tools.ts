// pg_dump and pg_restore: found, version-checked and run without putting the password on a
// command line (other users of the machine can read those).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { BackupError } from './backup-error';

export type PgTool = 'pg_dump' | 'pg_restore';

/** The tool in `binDir`, or the first on PATH when no directory is given. */
export function pgToolPath(tool: PgTool, binDir: string | undefined): string {
  if (!binDir) return tool;
  const file = path.join(binDir, tool);
  if (!existsSync(file)) throw new BackupError('PG_TOOLS_MISSING', `${file} does not exist: point --pg-bin at PostgreSQL's bin directory (e.g. /usr/lib/postgresql/16/bin)`);
  return file;
}

/** Runs a tool to completion; its stderr becomes the error message when it fails. */
export function runPgTool(tool: string, args: string[], databaseUrl?: string): Promise<string> {
  const env = { ...process.env };
  let dbArgs: string[] = [];
  if (databaseUrl) {
    const url = new URL(databaseUrl);
    if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
    url.password = '';
    dbArgs = ['--dbname', url.toString()];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, ...dbArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', (err) =>
      reject(new BackupError('PG_TOOLS_MISSING', `cannot run ${tool} (${err.message}): install the PostgreSQL client tools of your server's version, or pass --pg-bin`)),
    );
    child.once('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new BackupError('PG_TOOL_FAILED', `${path.basename(tool)} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}

/** "15.18" from "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)". */
export async function pgToolVersion(tool: string): Promise<string> {
  const out = await runPgTool(tool, ['--version']);
  const m = /\(PostgreSQL\)\s+(\d+(?:\.\d+)?)/.exec(out);
  if (!m) throw new BackupError('PG_TOOL_FAILED', `cannot read the version of ${tool} from "${out.trim()}"`);
  return m[1]!;
}

/** The server's version, e.g. "16.4". */
export async function serverVersion(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return /^\d+(?:\.\d+)?/.exec(rows[0]!.server_version)![0];
  } finally {
    await client.end();
  }
}

export const major = (version: string): number => Number(version.split('.')[0]);

/** Names of the tables in the database outside PostgreSQL's own schemas. */
export async function userTables(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT schemaname || '.' || tablename AS name FROM pg_tables
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}
