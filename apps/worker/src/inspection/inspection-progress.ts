// Live inversion progress of one inspection (the API's inspectionProgress subscription): its own
// image's loss per iteration, throttled to one event per progress interval, and reconstruction
// previews stored as numbered PNGs beside its results (ADR 0017). Numbered, not overwritten: a
// subscriber fetching a preview never races the next write, and writes that finish out of order
// cannot leave an older picture under the newest name.
import { floatImageToPng, type FloatImage } from '@gansight/imaging';
import type { BlobStore } from '@gansight/storage';
import type { IterationReport } from './score-image';

export interface ProgressReporterOptions {
  blobs: BlobStore;
  /** The inspection's blob folder. */
  dir: string;
  /** The preprocessed image (its format is the previews' format). */
  image: FloatImage;
  intervalMs: number;
  /** Sends one event; never rejects (the job logs a failed send). */
  emit(data: ProgressEventData): Promise<void>;
  log(line: string): void;
}

export type ProgressEventData = {
  iteration: number;
  totalIterations: number;
  loss: number;
  /** The newest preview stored so far. */
  previewKey?: string;
};

export interface ProgressReporter {
  /** The batcher's onIteration: true while it has I/O to let through. */
  onIteration(r: IterationReport): boolean;
  /**
   * After the inversion: waits for preview writes still in flight, then sends the last
   * iteration's event (held back until now so that it names the final preview).
   */
  finish(): Promise<void>;
}

/** Key of the preview stored at `iteration`. */
export const previewKey = (dir: string, iteration: number) => `${dir}/preview-${String(iteration).padStart(6, '0')}.png`;

/**
 * Progress of one inspection. Previews are written without being waited for (the inversion
 * never stalls on storage; a failed write is logged, never fails the job); an event names only
 * a preview whose write has finished, so its key always resolves. Events are sent one after
 * another (the publisher's pool could otherwise reorder two close ones).
 */
export function inspectionProgressReporter(o: ProgressReporterOptions): ProgressReporter {
  let lastSent = 0;
  let stored: { key: string; iteration: number } | null = null;
  let freshPreview = false;
  let held: ProgressEventData | null = null;
  const writes = new Set<Promise<void>>();
  let sending = Promise.resolve();
  const send = (d: Omit<ProgressEventData, 'previewKey'>) => {
    const data = { ...d, ...(stored ? { previewKey: stored.key } : {}) };
    sending = sending.then(() => o.emit(data));
  };
  return {
    onIteration(r) {
      if (r.preview) {
        const key = previewKey(o.dir, r.iteration);
        const iteration = r.iteration;
        const write = floatImageToPng({ ...o.image, data: r.preview })
          .then((png) => o.blobs.put(key, png, { contentType: 'image/png' }))
          .then(() => {
            if (stored && stored.iteration > iteration) return;
            stored = { key, iteration };
            freshPreview = true; // announced with the next iteration, whatever the throttle says
          })
          .catch((err: Error) => o.log(`[inspect] preview ${key} not stored: ${err.message}`))
          .finally(() => writes.delete(write));
        writes.add(write);
      }
      const { iteration, totalIterations, loss } = r;
      if (iteration === totalIterations) {
        held = { iteration, totalIterations, loss };
        return writes.size > 0;
      }
      if (!freshPreview && Date.now() - lastSent < o.intervalMs) return writes.size > 0;
      lastSent = Date.now();
      freshPreview = false;
      send({ iteration, totalIterations, loss });
      return true;
    },
    async finish() {
      await Promise.all([...writes]);
      if (held) send(held);
      await sending;
    },
  };
}
