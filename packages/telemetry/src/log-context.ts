import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while handling one request or job carries. */
export interface LogFields {
  requestId?: string;
  jobId?: string;
  task?: string;
  factoryId?: string;
}

const store = new AsyncLocalStorage<LogFields>();

/**
 * Runs `fn` with these fields on every log line written inside it, however deep (the existing
 * `log(line)` callbacks too): request and job handlers set them once instead of threading ids
 * through every call. The object stays mutable, so a request can add its factory once known.
 */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  return store.run({ ...store.getStore(), ...fields }, fn);
}

/** The fields of the request or job this code runs for, if any. */
export function currentLogContext(): LogFields | undefined {
  return store.getStore();
}
