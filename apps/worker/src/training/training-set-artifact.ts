// The exact images a model was trained on, stored beside its weights as
// `factories/<f>/models/<model>/training-set.json` (image ids and their sha256, in training
// order). The product's TRAIN split keeps changing after training; an evaluation fits its
// baselines on this set, so a model and its baselines are compared on the same images (ADR 0014).
// A blob and not a column: no migration, and it travels with the model's other artifacts.
import type { BlobStore } from '@gansight/storage';
import { isStorageError } from '@gansight/storage';
import { WorkerError } from '../jobs/job-errors';
import { artifactDir } from './blob-artifact-io';

export const TRAINING_SET_FILE = 'training-set.json';

export interface TrainingSetImage {
  id: string;
  sha256: string;
}

export interface TrainingSet {
  version: 1;
  modelId: string;
  /** The QUALIFIED TRAIN images the GAN was trained on (held-out calibration images excluded). */
  images: TrainingSetImage[];
}

/** Key of the training set of the model whose manifest (or any other file of its folder) is `modelFileKey`. */
export function trainingSetKey(modelFileKey: string): string {
  return `${artifactDir(modelFileKey)}/${TRAINING_SET_FILE}`;
}

/** Stores the training set beside the model file `modelFileKey`; returns its key. */
export async function saveTrainingSet(blobs: BlobStore, modelFileKey: string, set: TrainingSet): Promise<string> {
  const key = trainingSetKey(modelFileKey);
  await blobs.put(key, Buffer.from(JSON.stringify(set)), { contentType: 'application/json' });
  return key;
}

/** The model's recorded training set, or null for a model trained before sets were recorded. */
export async function loadTrainingSet(blobs: BlobStore, modelFileKey: string): Promise<{ key: string; set: TrainingSet } | null> {
  const key = trainingSetKey(modelFileKey);
  let bytes: Buffer;
  try {
    bytes = await blobs.get(key);
  } catch (err) {
    if (isStorageError(err, 'NOT_FOUND')) return null;
    throw err;
  }
  let set: Partial<TrainingSet> | null = null;
  try {
    set = JSON.parse(bytes.toString('utf8')) as Partial<TrainingSet>;
  } catch {
    // Reported below with the same code as a well-formed file of the wrong shape.
  }
  if (set?.version !== 1 || !Array.isArray(set.images) || !set.images.every((i) => typeof i?.id === 'string' && typeof i.sha256 === 'string')) {
    throw new WorkerError('BAD_ARTIFACT', `The training set ${key} is not a version-1 list of images; retrain the model or delete the file to fall back to the current TRAIN images.`, true);
  }
  return { key, set: set as TrainingSet };
}
