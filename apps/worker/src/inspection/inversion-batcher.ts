// Batches the images of concurrent inspections of one model into one inversion. Each inspection
// stays its own queue job (own retries, own row written once); only the inversion is shared.
// A batch of a model starts when it is full (`maxBatch`) or when its oldest image has waited
// `windowMs`: in a burst, the jobs taken together reach the batcher a few milliseconds apart
// (row reads, blob read, decode), and without the window the first of them was inverted alone
// while the rest queued behind it. Images that arrive while a batch of their model is being
// inverted wait for it (the CPU is busy anyway) and go together in the next one.
// apps/worker/bench/batch-inversion.ts measured why batching pays (README, ADRs 0007 and 0014).
import type { FloatImage } from '@gansight/imaging';
import type { InspectionModel } from '@gansight/ml';
import { scoreImages, type ImageScore } from './score-image';

interface Request {
  image: FloatImage;
  /** When it was handed in (performance.now()), to start its batch once it has waited windowMs. */
  at: number;
  onProgress?: (done: number, total: number) => void;
  resolve(score: ImageScore): void;
  reject(err: unknown): void;
}

interface ModelQueue {
  model: InspectionModel;
  pending: Request[];
  running: boolean;
  /** The window's timer, while the pending images wait for neighbours. */
  timer: NodeJS.Timeout | null;
}

export interface InversionBatcher {
  /** Scores one image, inverted together with other images of the same model waiting now. */
  score(modelKey: string, model: InspectionModel, image: FloatImage, onProgress?: (done: number, total: number) => void): Promise<ImageScore>;
  /** Sizes of the batches inverted so far (for tests and logs). */
  readonly batchSizes: readonly number[];
}

export interface InversionBatcherOptions {
  /** Most images in one inversion (the worker's concurrency). */
  maxBatch: number;
  /** Longest an image waits for others of its model before its batch starts; 0: never waits. */
  windowMs?: number;
  score?: typeof scoreImages;
  log?: (line: string) => void;
}

export function createInversionBatcher(o: InversionBatcherOptions): InversionBatcher {
  const run = o.score ?? scoreImages;
  const maxBatch = Math.max(1, o.maxBatch);
  // With batches of one there is no neighbour to wait for.
  const windowMs = maxBatch > 1 ? Math.max(0, o.windowMs ?? 0) : 0;
  const queues = new Map<string, ModelQueue>();
  const batchSizes: number[] = [];

  const next = (key: string, q: ModelQueue) => {
    if (q.running) return;
    const oldest = q.pending[0];
    if (!oldest) {
      queues.delete(key);
      return;
    }
    const waitMs = oldest.at + windowMs - performance.now();
    if (q.pending.length < maxBatch && waitMs > 0) {
      q.timer ??= setTimeout(() => {
        q.timer = null;
        next(key, q);
      }, waitMs);
      return;
    }
    if (q.timer) clearTimeout(q.timer);
    q.timer = null;
    const batch = q.pending.splice(0, maxBatch);
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
        if (!q) queues.set(modelKey, (q = { model, pending: [], running: false, timer: null }));
        q.pending.push({ image, at: performance.now(), onProgress, resolve, reject });
        // On the next turn of the event loop, so that images handed in together go together.
        setImmediate(() => next(modelKey, q));
      });
    },
    get batchSizes() {
      return batchSizes;
    },
  };
}
