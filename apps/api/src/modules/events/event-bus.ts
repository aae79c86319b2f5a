/**
 * A progress or completion event from the worker fleet. Every event names its factory; the API
 * delivers it only to subscribers verified for that factory.
 */
export interface ProgressEvent {
  factoryId: string;
  topic: 'training' | 'inspection';
  /** The training run or inspection the event is about. */
  id: string;
  productId?: string;
  kind: 'progress' | 'completed';
  /** e.g. { step, losses } for training, { iteration, loss, previewKey } for inspection. */
  data: Record<string, unknown>;
}

/** Where workers publish and the API subscribes. */
export interface EventBus {
  publish(event: ProgressEvent): Promise<void>;
  /** Every event from now on, until the iterator is returned. */
  subscribe(): AsyncIterableIterator<ProgressEvent>;
}

// A subscriber that stops reading must not make the process hold events forever: past this many
// waiting events the oldest progress events are dropped (completions are kept).
const MAX_BUFFERED = 256;

/**
 * Events within one process: enough when the worker runs inside the launcher. Workers on other
 * machines need a shared transport (PostgreSQL LISTEN/NOTIFY) behind the same interface.
 */
export function createInProcessEventBus(): EventBus {
  const subscribers = new Set<(event: ProgressEvent) => void>();
  return {
    async publish(event) {
      for (const deliver of subscribers) deliver(event);
    },
    subscribe() {
      const buffer: ProgressEvent[] = [];
      let wake: (() => void) | null = null;
      let done = false;
      const deliver = (event: ProgressEvent) => {
        buffer.push(event);
        if (buffer.length > MAX_BUFFERED) {
          const index = buffer.findIndex((e) => e.kind === 'progress');
          buffer.splice(index >= 0 ? index : 0, 1);
        }
        wake?.();
      };
      subscribers.add(deliver);
      const finish = async () => {
        done = true;
        subscribers.delete(deliver);
        wake?.();
        return { value: undefined, done: true as const };
      };
      const iterator: AsyncIterableIterator<ProgressEvent> = {
        async next() {
          while (!done && buffer.length === 0) await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          if (done) return { value: undefined, done: true };
          return { value: buffer.shift()!, done: false };
        },
        return: finish,
        throw: async (err) => {
          await finish();
          throw err;
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
  };
}
