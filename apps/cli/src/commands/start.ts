import { loadConfigOrExit } from '@gansight/config';
import { startStack } from '../stack/start-stack';

/** `gansight start`: the whole platform on this machine until Ctrl-C. */
export async function startCommand(): Promise<void> {
  const config = loadConfigOrExit();
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const stack = await startStack(config, log);
  log('Gansight is running. Press Ctrl-C to stop.');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, stopping…`);
    await stack.stop();
    log('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
