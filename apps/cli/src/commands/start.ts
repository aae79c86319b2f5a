import { loadConfigOrExit } from '@gansight/config';
import { createLogger, lineLog, writesJson } from '@gansight/telemetry';
import { startStack } from '../stack/start-stack';

/** The stack's parts stop within 9.5 s (start-stack.ts); this is the last word. */
const FORCED_EXIT_MS = 9800;

/** `gansight start`: the whole platform on this machine until Ctrl-C (or SIGTERM). */
export async function startCommand(): Promise<void> {
  const config = loadConfigOrExit();
  // Plain lines on a terminal, JSON lines otherwise (LOG_FORMAT; README, "Logs and metrics").
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, role: 'stack' });
  const log = lineLog(logger);
  const stack = await startStack(config, log, { logger, json: writesJson(config.logFormat) });
  log('Gansight is running. Press Ctrl-C to stop.');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal} received, stopping…`);
    // Whatever hangs, the process ends within 10 s; the embedded PostgreSQL is told to stop on exit.
    setTimeout(() => {
      log(`not stopped after ${FORCED_EXIT_MS / 1000} s: exiting anyway`);
      process.exit(1);
    }, FORCED_EXIT_MS).unref();
    const { leftBehind } = await stack.stop();
    if (leftBehind.length) {
      log(`stopped; cut what did not stop in time: ${leftBehind.join(', ')}`);
      process.exit(1);
    }
    log('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
