import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web');

export interface RunningWeb {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs the Next.js dashboard as a child process (Next owns its own compiler and workers, so it
 * does not belong inside the API process). Resolves once Next says it is ready.
 */
export async function startWeb(opts: {
  port: number;
  apiPort: number;
  mode: 'dev' | 'start';
  log: (line: string) => void;
}): Promise<RunningWeb> {
  const nextBin = createRequire(path.join(webDir, 'package.json')).resolve('next/dist/bin/next');
  const child: ChildProcess = spawn(process.execPath, [nextBin, opts.mode, '--port', String(opts.port), '--hostname', '127.0.0.1'], {
    cwd: webDir,
    env: { ...process.env, API_PORT: String(opts.apiPort), NEXT_TELEMETRY_DISABLED: '1', PORT: String(opts.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `http://localhost:${opts.port}`;
  await new Promise<void>((resolve, reject) => {
    const onLine = (buf: Buffer) => {
      for (const line of buf.toString().split('\n').filter(Boolean)) {
        opts.log(`[web] ${line}`);
        if (/Ready in|ready started|started server/i.test(line)) resolve();
      }
    };
    child.stdout!.on('data', onLine);
    child.stderr!.on('data', onLine);
    child.once('exit', (code) => reject(new Error(`Dashboard (next ${opts.mode}) exited with code ${code} before it was ready`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        // Next's dev server sometimes ignores the first signal while compiling; the stack has
        // 10 s to stop in all (issue 13, item 10).
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
