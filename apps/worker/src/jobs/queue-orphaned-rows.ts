// ADR 0057's sweep for every kind of row the API stores before queueing its job (ADR 0060):
// inspections, training runs, evaluations and closed lots. A row still waiting past the grace
// period with no job under its key was left behind by an API process that died between its two
// statements (or a queue that refused the add); it is queued again with the API's own spec and,
// for training, under the run's pin. A training run whose model was cancelled or has ended is not
// queued again but ended, with the reason on the run.
import type { WorkerUtils } from 'graphile-worker';
import { jobKey, TASK, trainingTaskIdentifier, type TaskName } from '@gansight/contracts';
import {
  endQueuedTrainingRun, listStaleQueuedEvaluations, listStaleQueuedTrainingRuns, listUnsettledClosedLots, type Db,
} from '@gansight/db';
import { jobSpec } from './job-queue';
import { queueOrphanedInspections, withoutJobs } from './queue-orphaned-inspections';

/** At most this many rows of each kind a pass: a backlog's oldest first, the rest on later passes. */
const PASS_LIMIT = 100;

/** What one pass did, a line each for the worker's log. */
export interface OrphanedRow {
  kind: TaskName;
  id: string;
  /** `queued`: a job was added; otherwise the status the row was ended with. */
  action: 'queued' | 'FAILED' | 'CANCELLED';
  reason?: string;
}

/** One pass over every kind; safe in every worker at once (job keys keep one job per row). */
export async function queueOrphanedRows(db: Db, utils: WorkerUtils, olderThanMs: number): Promise<OrphanedRow[]> {
  const done: OrphanedRow[] = (await queueOrphanedInspections(db, utils, olderThanMs)).map((id) => ({ kind: TASK.inspect, id, action: 'queued' }));

  const runs = await withoutJobs(utils, TASK.train, await listStaleQueuedTrainingRuns(db, olderThanMs, PASS_LIMIT));
  for (const r of runs) {
    const key = jobKey(TASK.train, r.id);
    if (r.modelStatus === 'QUEUED' || r.modelStatus === 'TRAINING') {
      await utils.addJob(trainingTaskIdentifier(r.backends), { factoryId: r.factoryId, modelId: r.modelId, runId: r.id }, jobSpec(TASK.train, key));
      done.push({ kind: TASK.train, id: r.id, action: 'queued' });
      continue;
    }
    // Queueing it would train a model that was cancelled or has ended (e.g. cancelTraining
    // stopped after marking the model): the run ends, saying why.
    const status = r.modelStatus === 'CANCELLED' ? 'CANCELLED' : 'FAILED';
    const reason = `ORPHANED_RUN: the run was stored without its job and model v${r.modelVersion} is ${r.modelStatus}; it was not queued again`;
    if (await endQueuedTrainingRun(db, r.factoryId, r.id, { status, error: reason })) done.push({ kind: TASK.train, id: r.id, action: status, reason });
  }

  for (const e of await withoutJobs(utils, TASK.evaluate, await listStaleQueuedEvaluations(db, olderThanMs, PASS_LIMIT))) {
    await utils.addJob(TASK.evaluate, { factoryId: e.factoryId, evaluationId: e.id }, jobSpec(TASK.evaluate, jobKey(TASK.evaluate, e.id)));
    done.push({ kind: TASK.evaluate, id: e.id, action: 'queued' });
  }

  for (const l of await withoutJobs(utils, TASK.lot, await listUnsettledClosedLots(db, olderThanMs, PASS_LIMIT))) {
    await utils.addJob(TASK.lot, { factoryId: l.factoryId, lotId: l.id }, jobSpec(TASK.lot, jobKey(TASK.lot, l.id)));
    done.push({ kind: TASK.lot, id: l.id, action: 'queued' });
  }
  return done;
}

/** The log line for one row the sweep handled. */
export function describeOrphanedRow(r: OrphanedRow): string {
  const noun = { inspect: 'inspection', train: 'training run', evaluate: 'evaluation', lot: 'lot measurement' }[r.kind as string] ?? r.kind;
  return r.action === 'queued' ? `queued ${noun} ${r.id}, stored without a job` : `ended ${noun} ${r.id} ${r.action}: ${r.reason}`;
}
