// Batches the images of concurrent inspections of one model into one inversion. Each inspection
// stays its own queue job (own retries, own row written once); only the inversion is shared.
// An idle worker inverts a lone image at once; images that arrive while a batch of their model
// is being inverted wait for it (the CPU is busy anyway) and go together in the next batch, up
// to `maxBatch`. apps/worker/bench/batch-inversion.ts measured why (README, ADR 0007).
import type { FloatImage } from '@gansight/imaging';
import type { InspectionModel } from '@gansight/ml';
import { scoreImages, type ImageScore } from './score-image';

interface Request {
  image: FloatImage;
  onProgress?: (done: number, total: number) => void;
  resolve(score: ImageScore): void;
  reject(err: unknown): void;
}

interface ModelQueue {
  model: InspectionModel;
  pending: Request[];
  running: boolean;
}

export interface InversionBatcher {
  /** Scores one image, inverted together with other images of the same model waiting now. */
  score(modelKey: string, model: InspectionModel, image: FloatImage, onProgress?: (done: number, total: number) => void): Promise<ImageScore>;
  /** Sizes of the batches inverted so far (for tests and logs). */
  readonly batchSizes: readonly number[];
}

export function createInversionBatcher(o: { maxBatch: number; score?: typeof scoreImages; log?: (line: string) => void }): InversionBatcher {
  const run = o.score ?? scoreImages;
  const queues = new Map<string, ModelQueue>();
  const batchSizes: number[] = [];

  const next = (key: string, q: ModelQueue) => {
    if (q.running) return;
    const batch = q.pending.splice(0, Math.max(1, o.maxBatch));
    if (batch.length === 0) {
      queues.delete(key);
      return;
    }
    q.running = true;
    batchSizes.push(batch.length);
    if (batch.length > 1) o.log?.(`[inspect] inverting ${batch.length} images of one model together`);
    const onProgress = (done: number, total: number) => {
      for (const r of batch) r.onProgress?.(done, total);
    };
    run(q.model, batch.map((r) => r.image), onProgress)
      .then((scores) => batch.forEach((r, i) => r.resolve(scores[i]!)))
      .catch((err: unknown) => batch.forEach((r) => r.reject(err)))
      .finally(() => {
        q.running = false;
        next(key, q);
      });
  };

  return {
    score(modelKey, model, image, onProgress) {
      return new Promise<ImageScore>((resolve, reject) => {
        let q = queues.get(modelKey);
        if (!q) queues.set(modelKey, (q = { model, pending: [], running: false }));
        q.pending.push({ image, onProgress, resolve, reject });
        // On the next turn of the event loop, so that images handed in together go together.
        setImmediate(() => next(modelKey, q));
      });
    },
    get batchSizes() {
      return batchSizes;
    },
  };
}
