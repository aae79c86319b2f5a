// A job that gives up must leave its row FAILED even when that write fails (a dropped
// connection, a deadlock): before, the write's error was swallowed, the row stayed RUNNING for
// ever and nothing was logged. Here the database itself refuses the FAILED marks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvaluation, createInspection, createModel, getEvaluation, getInspection, getModel, getTrainingRun, listImages } from '@gansight/db';
import { createJobQueue, type JobQueue } from './job-queue';
import {
  createWorkerFixture, killAll, queueTinyTraining, seedProduct, spawnWorker, waitFor, workerReady,
  type WorkerFixture, type WorkerProcess,
} from '../testing/worker-fixture';

let f: WorkerFixture;
let queue: JobQueue;
let w: WorkerProcess;

/**
 * A trigger on `table` that raises while a row of it is set to FAILED, the first `times` times
 * (refuse_failed_times; a sequence counts, since it is not rolled back with the refused statement).
 */
async function refuseFailedMarks(table: 'Inspection' | 'TrainingRun' | 'Model' | 'Evaluation') {
  const name = `refuse_failed_${table.toLowerCase()}`;
  await f.db.$executeRawUnsafe(`CREATE SEQUENCE ${name}_count`);
  await f.db.$executeRawUnsafe(`INSERT INTO refuse_failed_times VALUES ('${table}', 1)`);
  await f.db.$executeRawUnsafe(`
    CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status::text = 'FAILED' AND OLD.status::text <> 'FAILED'
         AND nextval('${name}_count') <= (SELECT times FROM refuse_failed_times WHERE tbl = TG_TABLE_NAME) THEN
        RAISE EXCEPTION 'test: ${table} FAILED mark refused';
      END IF;
      RETURN NEW;
    END $$`);
  await f.db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
}

beforeAll(async () => {
  f = await createWorkerFixture();
  queue = await createJobQueue({ connectionString: f.database.url });
  await f.db.$executeRawUnsafe('CREATE TABLE refuse_failed_times (tbl text PRIMARY KEY, times int NOT NULL)');
  for (const table of ['Inspection', 'TrainingRun', 'Model', 'Evaluation'] as const) await refuseFailedMarks(table);
  w = spawnWorker(f);
  await workerReady(w);
});

afterAll(async () => {
  await killAll(w ? [w] : []);
  await queue?.release();
  await f?.dispose();
});

const settled = (s: string) => s !== 'QUEUED' && s !== 'RUNNING' && s !== 'TRAINING';

describe('a permanent failure whose FAILED mark fails once', () => {
  it('still ends FAILED, and the refused write is logged with the job id', async () => {
    // A model that never trained: inspecting or evaluating with it fails permanently (NOT_CALIBRATED).
    const { productId } = await seedProduct(f, { train: 1, validation: 0 });
    const untrained = await createModel(f.db, f.factoryId, { productId, hyperParameters: {} });
    const imageId = (await listImages(f.db, f.factoryId, { productId })).items[0]!.id;
    const { inspection } = await createInspection(f.db, f.factoryId, { imageId, modelId: untrained.id });
    const evaluation = await createEvaluation(f.db, f.factoryId, { modelId: untrained.id });
    // One TRAIN image: training fails permanently (NOT_ENOUGH_IMAGES).
    const run = await queueTinyTraining(f, productId, { steps: 4 });

    await queue.enqueueInspection({ factoryId: f.factoryId, inspectionId: inspection.id });
    await queue.enqueueEvaluation({ factoryId: f.factoryId, evaluationId: evaluation.id });
    await queue.enqueueTraining({ factoryId: f.factoryId, ...run });

    const i = await waitFor(() => getInspection(f.db, f.factoryId, inspection.id), (r) => settled(r.status), 60_000, 'inspection');
    expect([i.status, i.errorCode]).toEqual(['FAILED', 'NOT_CALIBRATED']);
    const e = await waitFor(() => getEvaluation(f.db, f.factoryId, evaluation.id), (r) => settled(r.status), 60_000, 'evaluation');
    expect(e.status).toBe('FAILED');
    expect(e.error).toMatch(/^NOT_CALIBRATED/);
    const r = await waitFor(() => getTrainingRun(f.db, f.factoryId, run.runId), (x) => settled(x.status), 60_000, 'training run');
    expect(r.status).toBe('FAILED');
    expect(r.error).toMatch(/^NOT_ENOUGH_IMAGES/);
    const m = await waitFor(() => getModel(f.db, f.factoryId, run.modelId), (x) => settled(x.status), 60_000, 'model');
    expect(m.status).toBe('FAILED');

    // Prisma's message spans lines: a log entry runs from its job id to the refusal it quotes.
    const log = w.output();
    expect(log).toMatch(new RegExp(`\\[inspect\\] ${inspection.id}: FAILED mark not written [\\s\\S]*?Inspection FAILED mark refused`));
    expect(log).toMatch(new RegExp(`\\[evaluate\\] ${evaluation.id}: FAILED mark not written [\\s\\S]*?Evaluation FAILED mark refused`));
    expect(log).toMatch(new RegExp(`\\[train\\] ${run.runId}: FAILED mark of the run not written [\\s\\S]*?TrainingRun FAILED mark refused`));
    expect(log).toMatch(new RegExp(`\\[train\\] ${run.runId}: FAILED mark of the model not written [\\s\\S]*?Model FAILED mark refused`));
  });

  it('hands a mark refused on every try to the job\'s retry, which writes it', async () => {
    await f.db.$executeRawUnsafe(`UPDATE refuse_failed_times SET times = 5 WHERE tbl = 'Inspection'`);
    await f.db.$executeRawUnsafe('ALTER SEQUENCE refuse_failed_inspection_count RESTART');
    const { productId } = await seedProduct(f, { train: 1, validation: 0 });
    const untrained = await createModel(f.db, f.factoryId, { productId, hyperParameters: {} });
    const imageId = (await listImages(f.db, f.factoryId, { productId })).items[0]!.id;
    const { inspection } = await createInspection(f.db, f.factoryId, { imageId, modelId: untrained.id });
    await queue.enqueueInspection({ factoryId: f.factoryId, inspectionId: inspection.id });

    // Four tries on the first attempt, refused; the second attempt's second try lands.
    const i = await waitFor(() => getInspection(f.db, f.factoryId, inspection.id), (r) => settled(r.status), 60_000, 'inspection');
    expect([i.status, i.errorCode]).toEqual(['FAILED', 'NOT_CALIBRATED']);
    expect(w.output()).toContain(`[inspect] ${inspection.id}: FAILED mark not written after 4 tries; the job fails so that its retry writes it`);
    expect(w.output()).toContain(`[inspect] ${inspection.id}: FAILED mark written at try 2`);
  });
});
