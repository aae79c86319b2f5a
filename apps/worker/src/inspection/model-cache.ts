// Loaded models per worker, least recently used first out, so the second inspection with a
// model does not reload its weights from storage. Bounded because each holds tensors.
import * as tf from '@tensorflow/tfjs';
import { allVariables, encoderVariables, loadInspectionModel, type InspectionModel } from '@gansight/ml';
import type { BlobStore } from '@gansight/storage';
import { artifactDir, blobArtifactIO } from '../training/blob-artifact-io';

export interface ModelCache {
  /** The model stored at `modelKey` (loaded once; concurrent callers share one load). */
  get(modelKey: string): Promise<InspectionModel>;
  readonly size: number;
  clear(): void;
}

function dispose(m: InspectionModel): void {
  tf.dispose([...allVariables(m.dcgan), ...(m.encoder ? encoderVariables(m.encoder) : [])]);
}

export function createModelCache(blobs: BlobStore, capacity = 4): ModelCache {
  const entries = new Map<string, Promise<InspectionModel>>();
  return {
    async get(modelKey) {
      let entry = entries.get(modelKey);
      if (entry) {
        entries.delete(modelKey); // re-insert: Map order is our recency order
        entries.set(modelKey, entry);
        return entry;
      }
      entry = loadInspectionModel(blobArtifactIO(blobs, artifactDir(modelKey)));
      entries.set(modelKey, entry);
      entry.catch(() => entries.delete(modelKey)); // a failed load is not cached
      while (entries.size > capacity) {
        const [oldest, loading] = entries.entries().next().value as [string, Promise<InspectionModel>];
        entries.delete(oldest);
        // An inspection may still be using it; tfjs variables are freed only after it is done.
        loading.then((m) => setTimeout(() => dispose(m), 60_000).unref(), () => undefined);
      }
      return entry;
    },
    get size() {
      return entries.size;
    },
    clear() {
      for (const e of entries.values()) e.then(dispose, () => undefined);
      entries.clear();
    },
  };
}
