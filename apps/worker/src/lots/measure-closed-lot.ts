// Queues a lot's measurement. Closing a lot queues it (apps/api closeLot); so does the end of
// every inspection of a closed lot, because the measurement waits until none is pending and the
// last inspection to finish must wake it up.
import type { JobHelpers } from 'graphile-worker';
import { getLot } from '@gansight/db';
import { jobKey, MAX_ATTEMPTS, PRIORITY, TASK } from '@gansight/contracts';

export async function queueLotMeasurementIfClosed(helpers: JobHelpers, db: Parameters<typeof getLot>[0], factoryId: string, lotId: string): Promise<void> {
  const lot = await getLot(db, factoryId, lotId);
  if (lot.status !== 'CLOSED' || lot.frechetDistance !== null) return;
  await helpers.addJob(TASK.lot, { factoryId, lotId }, {
    jobKey: jobKey(TASK.lot, lotId),
    // 'replace' (unlike the queue's usual dedupe) queues a fresh job when one is already running:
    // that one may have looked before this inspection finished. Measuring twice writes once.
    jobKeyMode: 'replace',
    priority: PRIORITY.lot,
    maxAttempts: MAX_ATTEMPTS.lot,
  });
}
