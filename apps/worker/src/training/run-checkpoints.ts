// Checkpoints of one training run in blob storage. Each lives in its own folder per step, and
// the TrainingRun row is pointed at it only after both files are stored: a crash or a storage
// failure mid-write leaves the row on the previous, complete checkpoint.
import { updateTrainingRun, type TrainingRun } from '@gansight/db';
import { CHECKPOINT_FILES, loadGanCheckpoint, saveGanCheckpoint, type GanCheckpoint } from '@gansight/ml';
import { blobKey } from '@gansight/storage';
import type { WorkerContext } from '../worker-context';
import { artifactDir, blobArtifactIO } from './blob-artifact-io';

export function checkpointDirKey(factoryId: string, runId: string, step: number): string {
  return blobKey(factoryId, 'training-runs', runId, 'checkpoints', `step-${String(step).padStart(7, '0')}`);
}

/** Stores a checkpoint, then records it on the run; removes the checkpoint it replaces. */
export async function saveRunCheckpoint(
  ctx: WorkerContext,
  run: { factoryId: string; id: string },
  ckpt: GanCheckpoint,
  previousKey: string | null,
  extra: Record<string, unknown>,
): Promise<string> {
  const dir = checkpointDirKey(run.factoryId, run.id, ckpt.step);
  await saveGanCheckpoint(blobArtifactIO(ctx.blobs, dir), ckpt, extra);
  const manifestKey = `${dir}/${CHECKPOINT_FILES.manifest}`;
  await updateTrainingRun(ctx.db, run.factoryId, run.id, { lastCheckpointKey: manifestKey, checkpointStep: ckpt.step, step: ckpt.step });
  if (previousKey && previousKey !== manifestKey) {
    // Only clean-up: a leftover old checkpoint wastes space but breaks nothing.
    const old = artifactDir(previousKey);
    await Promise.all(Object.values(CHECKPOINT_FILES).map((f) => ctx.blobs.delete(`${old}/${f}`))).catch((err: Error) =>
      ctx.log(`[train] could not delete old checkpoint ${old}: ${err.message}`),
    );
  }
  return manifestKey;
}

/** The run's last recorded checkpoint, or null when it has none yet. */
export async function loadRunCheckpoint(ctx: WorkerContext, run: TrainingRun): Promise<GanCheckpoint | null> {
  if (!run.lastCheckpointKey) return null;
  const { checkpoint } = await loadGanCheckpoint(blobArtifactIO(ctx.blobs, artifactDir(run.lastCheckpointKey)));
  return checkpoint;
}
