// Batches the images of concurrent inspections of one model into one inversion. Each inspection
// stays its own queue job (own retries, own row written once); only the inversion is shared.
// An inversion holds the event loop for its whole length (wasm compute between microtasks), so
// the other jobs of a burst cannot read and decode their images meanwhile: when a batch ends,
// nobody is waiting yet, and without a hold the next image to arrive was inverted alone (the
// bench saw bursts of 8 go as 8 batches of 1). So a batch starts when it is full (`maxBatch`),
// when no other inspection of this worker is still on its way to the batcher (announced, not
// yet arrived: a lone inspection never waits), or when its oldest image has waited `windowMs`.
// apps/worker/bench/burst-batching.ts measures the effect (README, ADR 0014).
import type { FloatImage } from '@gansight/imaging';
import type { InspectionModel } from '@gansight/ml';
import { scoreImages, type ImageScore, type IterationReport } from './score-image';

interface Request {
  image: FloatImage;
  /** When it was handed in (performance.now()), to start its batch once it has waited windowMs. */
  at: number;
  onIteration?: (r: IterationReport) => boolean;
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

/** An inspection that will hand in an image soon: the batcher may wait for it. */
export interface Announcement {
  /** It will not come after all (failed, or nothing to score); idempotent, and implied by score(). */
  withdraw(): void;
}

export interface InversionBatcher {
  /** Announces an image on its way (call when an inspection job starts). */
  announce(): Announcement;
  /**
   * Scores one image, inverted together with other images of the same model waiting now.
   * `onIteration` hears this image's own loss (and preview) every iteration; it returns true when
   * it has I/O to let through (see InversionWatch).
   */
  score(
    modelKey: string, model: InspectionModel, image: FloatImage, onIteration?: (r: IterationReport) => boolean, announced?: Announcement,
  ): Promise<ImageScore>;
  /** Sizes of the batches inverted so far (for tests and logs). */
  readonly batchSizes: readonly number[];
}

export interface InversionBatcherOptions {
  /** Most images in one inversion (the worker's concurrency). */
  maxBatch: number;
  /** Longest an image waits for announced others before its batch starts; 0: never waits. */
  windowMs?: number;
  score?: typeof scoreImages;
  /** Every how many inversion iterations each image's G(z) is handed to its onIteration; 0: never. */
  previewEvery?: number;
  log?: (line: string) => void;
}

export function createInversionBatcher(o: InversionBatcherOptions): InversionBatcher {
  const run = o.score ?? scoreImages;
  const maxBatch = Math.max(1, o.maxBatch);
  // With batches of one there is no neighbour to wait for.
  const windowMs = maxBatch > 1 ? Math.max(0, o.windowMs ?? 0) : 0;
  const queues = new Map<string, ModelQueue>();
  const batchSizes: number[] = [];
  let onTheWay = 0;

  const next = (key: string, q: ModelQueue) => {
    if (q.running) return;
    const oldest = q.pending[0];
    if (!oldest) {
      queues.delete(key);
      return;
    }
    const waitMs = oldest.at + windowMs - performance.now();
    if (q.pending.length < maxBatch && onTheWay > 0 && waitMs > 0) {
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
    const watched = batch.some((r) => r.onIteration);
    const watch = {
      previewEvery: Math.max(0, o.previewEvery ?? 0),
      report: (i: number, r: IterationReport) => batch[i]?.onIteration?.(r) ?? false,
    };
    run(q.model, batch.map((r) => r.image), undefined, watched ? watch : undefined)
      .then((scores) => batch.forEach((r, i) => r.resolve(scores[i]!)))
      .catch((err: unknown) => batch.forEach((r) => r.reject(err)))
      .finally(() => {
        q.running = false;
        next(key, q);
      });
  };

  // Fewer images on their way: a queue that waited for them may start now.
  const recheck = () => setImmediate(() => queues.forEach((q, key) => next(key, q)));

  return {
    announce() {
      onTheWay += 1;
      let open = true;
      return {
        withdraw() {
          if (!open) return;
          open = false;
          onTheWay -= 1;
          recheck();
        },
      };
    },
    score(modelKey, model, image, onIteration, announced) {
      return new Promise<ImageScore>((resolve, reject) => {
        let q = queues.get(modelKey);
        if (!q) queues.set(modelKey, (q = { model, pending: [], running: false, timer: null }));
        q.pending.push({ image, at: performance.now(), onIteration, resolve, reject });
        if (announced) announced.withdraw();
        // On the next turn of the event loop, so that images handed in together go together.
        else setImmediate(() => next(modelKey, q));
      });
    },
    get batchSizes() {
      return batchSizes;
    },
  };
}
