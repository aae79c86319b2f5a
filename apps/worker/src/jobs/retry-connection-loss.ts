// graphile-worker 0.17 retries its own queue queries (marking a job done or failed, adding a
// job) only for a few error codes: 57P03 "the database is starting up", EHOSTUNREACH,
// ETIMEDOUT. A database restart shows up first as 57P01 "terminating connection due to
// administrator command" and then as ECONNREFUSED until it is back; with those, the release of
// a finished job fails once, and since the worker does not await that promise, the rejection
// is unhandled and the process dies. The retry table is a plain exported object that
// graphile-worker reads on every failure: we add the codes of a lost connection to it, with the
// same back-off as 57P03 (3 s doubling to 2 min, 100 attempts). See ADR 0007.
import { RETRYABLE_ERROR_CODES } from 'graphile-worker/dist/lib.js';

/** SQLSTATEs and socket errors that mean "the connection went away", not "the query was wrong". */
export const CONNECTION_LOSS_CODES = [
  '57P01', // admin_shutdown (fast or smart shutdown of the server)
  '57P02', // crash_shutdown
  '08000', '08003', '08006', // connection_exception, connection_does_not_exist, connection_failure
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE',
] as const;

let installed = false;

/** Makes graphile-worker retry its queue queries through a database restart (idempotent). */
export function retryQueueQueriesOnConnectionLoss(): void {
  if (installed) return;
  installed = true;
  const like = RETRYABLE_ERROR_CODES['57P03'] ?? { minDelay: 3000, maxDelay: 120_000 };
  for (const code of CONNECTION_LOSS_CODES) RETRYABLE_ERROR_CODES[code] ??= { ...like };
}
