// Training pinned to ML backends (ADR 0060). graphile-worker hands a worker only jobs whose task
// identifier is in its task list, so a pinned run is queued under an identifier that names its
// backends (`train@tensorflow-gpu`, `train@tensorflow-cpu+tensorflow-gpu`), and a worker lists
// every identifier that names its own backend. A job nobody lists waits in the queue, unfailed.
import { TASK, type TaskName } from './job-specs';

/** The backends a worker can advertise (packages/ml's BackendKind), in the order identifiers name them. */
export const BACKEND_KINDS = ['tensorflow-gpu', 'tensorflow-cpu', 'wasm', 'cpu'] as const;
export type BackendKindName = (typeof BACKEND_KINDS)[number];

const PIN = '@';

/** The task identifier a training run pinned to `backends` is queued under: `train` when empty (any worker). */
export function trainingTaskIdentifier(backends: readonly string[]): string {
  const pinned = BACKEND_KINDS.filter((k) => backends.includes(k));
  const unknown = backends.filter((b) => !(BACKEND_KINDS as readonly string[]).includes(b));
  if (unknown.length > 0) throw new Error(`Unknown ML backend(s) ${unknown.join(', ')}; expected ${BACKEND_KINDS.join(', ')}.`);
  return pinned.length === 0 ? TASK.train : `${TASK.train}${PIN}${pinned.join('+')}`;
}

/** Every identifier a worker on `backend` takes training under: `train`, and each pin that names `backend`. */
export function trainingTaskIdentifiersFor(backend: string): string[] {
  const others = BACKEND_KINDS.filter((k) => k !== backend);
  if (others.length === BACKEND_KINDS.length) return [TASK.train]; // a backend no pin can name
  const ids = [TASK.train as string];
  // Every subset of the other kinds, with this one added: 2^3 identifiers for four kinds.
  for (let mask = 0; mask < 1 << others.length; mask++) {
    ids.push(trainingTaskIdentifier([backend, ...others.filter((_, i) => mask & (1 << i))]));
  }
  return ids;
}

/** The task a queued identifier runs (`train@wasm` is `train`); undefined for an identifier of no known task. */
export function taskOfIdentifier(identifier: string): TaskName | undefined {
  const name = identifier.split(PIN)[0]!;
  return (Object.values(TASK) as string[]).includes(name) ? (name as TaskName) : undefined;
}
