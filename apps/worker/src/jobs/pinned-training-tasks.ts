// A worker takes only the training it can run (ADR 0060): the training handler is listed under
// `train` and under every pinned identifier that names this worker's backend, and under no other,
// so graphile-worker never hands it a run pinned elsewhere; such a run waits in the queue.
import type { TaskList } from 'graphile-worker';
import { TASK, trainingTaskIdentifiersFor } from '@gansight/contracts';

/** `tasks` with its training handler (if any) also under each pin this `backend` satisfies. */
export function withPinnedTraining(tasks: TaskList, backend: string): TaskList {
  const train = tasks[TASK.train];
  if (!train) return tasks;
  return { ...Object.fromEntries(trainingTaskIdentifiersFor(backend).map((id) => [id, train])), ...tasks };
}

/** The task list for a log line, the pinned training identifiers said once (`train pinned to wasm`). */
export function describeTasks(ids: string[], backend: string): string {
  const pinned = ids.some((id) => id.startsWith(`${TASK.train}@`));
  const rest = ids.filter((id) => !id.startsWith(`${TASK.train}@`));
  return [...rest, ...(pinned ? [`train pinned to ${backend}`] : [])].join(', ') || '(none)';
}
