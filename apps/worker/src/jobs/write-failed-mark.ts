// A job that gives up must leave its row FAILED: the user (and a lot's measurement) waits on
// that row, and nothing else ever revisits a RUNNING row. One refused write (a dropped
// connection, a deadlock, a restart) must not strand it, so the mark is retried with back-off
// and every refused try is logged with the job's id. If it still cannot be written the error is
// thrown: the job fails instead of completing, graphile-worker retries it, and the retry finds
// the row unanswered, fails the same way and writes the mark. On the job's last attempt there
// is no retry to hand it to, so the mark is tried until it is written or the worker stops.
import { describeFailure } from './job-errors';

/** Waits before the 2nd, 3rd, ... try; the last attempt then keeps trying every MAX_DELAY_MS. */
const DELAYS_MS = [200, 1000, 5000];
const MAX_DELAY_MS = 30_000;

export interface FailedMark {
  /** Log prefix naming the job, e.g. `[inspect] <inspectionId>: FAILED mark`. */
  what: string;
  write: () => Promise<unknown>;
  log: (line: string) => void;
  /** Set on the job's last attempt: keep trying until written or this signal aborts (the worker drains). */
  keepTryingUntil?: AbortSignal;
}

/** Writes a job's FAILED mark, retrying a refused write; throws the write's error if it never lands. */
export async function writeFailedMark(mark: FailedMark): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await mark.write();
      if (attempt > 1) mark.log(`${mark.what} written at try ${attempt}`);
      return;
    } catch (err) {
      const f = describeFailure(err);
      // The row was deleted (its factory, say): there is nothing left to mark.
      if (f.code === 'NOT_FOUND') {
        mark.log(`${mark.what} not written, the row is gone: ${f.message}`);
        return;
      }
      const stop = mark.keepTryingUntil;
      const delay = DELAYS_MS[attempt - 1] ?? (stop && !stop.aborted ? MAX_DELAY_MS : undefined);
      if (delay === undefined) {
        mark.log(`${mark.what} not written after ${attempt} tries; the job fails so that its retry writes it: ${f.message}`);
        throw err;
      }
      mark.log(`${mark.what} not written (try ${attempt}, next in ${delay} ms): ${f.message}`);
      await sleep(delay, stop);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
