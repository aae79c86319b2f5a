// Turns a subscription into an AsyncIterableIterator, the shape graphql-ws resolvers return.
import type { EventFilter, GansightEvent } from './event';
import { EventError } from './event-error';
import type { EventSubscriber } from './event-subscriber';

export interface IteratorOptions {
  /** Events buffered for a slow consumer before the iterator fails with SUBSCRIBER_OVERFLOW. */
  maxBuffered?: number;
  signal?: AbortSignal;
}

/** Every matching event from now on, until return()/the signal/close; never another factory's. */
export function eventIterator(
  subscriber: EventSubscriber,
  filter: EventFilter,
  o: IteratorOptions = {},
): AsyncIterableIterator<GansightEvent> {
  const max = o.maxBuffered ?? 1000;
  const buffer: GansightEvent[] = [];
  const waiting: Array<(r: IteratorResult<GansightEvent>) => void> = [];
  let failure: EventError | null = null;
  let done = false;
  let failWaiter: ((err: EventError) => void) | null = null;

  const finish = () => {
    if (done) return;
    done = true;
    unsubscribe();
    o.signal?.removeEventListener('abort', finish);
    for (const w of waiting.splice(0)) w({ value: undefined, done: true });
  };

  const unsubscribe = subscriber.subscribe(filter, (event) => {
    if (done) return;
    const w = waiting.shift();
    if (w) return w({ value: event, done: false });
    if (buffer.length >= max) {
      // Dropping silently would show a consumer a wrong state; failing lets it re-read instead.
      failure = new EventError('SUBSCRIBER_OVERFLOW', `More than ${max} events waited for a slow consumer; resubscribe and re-read the current state.`);
      failWaiter?.(failure);
      finish();
      return;
    }
    buffer.push(event);
  });
  o.signal?.addEventListener('abort', finish);
  if (o.signal?.aborted) finish();

  return {
    next() {
      const event = buffer.shift();
      if (event) return Promise.resolve({ value: event, done: false });
      if (failure) return Promise.reject(failure);
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting.push(resolve);
        failWaiter = reject;
      });
    },
    return() {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(err?: unknown) {
      finish();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
