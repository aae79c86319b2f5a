import { listEvaluationPages, listTrainingRunPages, type Evaluation, type Page, type PageRequest, type TrainingRun } from '@gansight/db';
import type { ApiContext } from '../../context';
import { requireFactoryCaller } from '../auth/require-caller';

interface Pages {
  trainingRuns: TrainingRun;
  evaluations: Evaluation;
}
type Kind = keyof Pages;

const LIST = {
  trainingRuns: listTrainingRunPages,
  evaluations: listEvaluationPages,
} as const;

type Waiter = { modelId: string; resolve: (page: Page<never>) => void; reject: (err: unknown) => void };
const batches = new WeakMap<ApiContext, Map<string, Waiter[]>>();

/**
 * One page of a model's training runs or evaluations. Every model asked for in the same tick with
 * the same page arguments (a `models` page selecting `trainingRuns(first: 5)`) is answered by one
 * batch of two statements, not two per model.
 */
export function loadModelPage<K extends Kind>(ctx: ApiContext, kind: K, modelId: string, page: PageRequest): Promise<Page<Pages[K]>> {
  const { factoryId } = requireFactoryCaller(ctx);
  let pending = batches.get(ctx);
  if (!pending) batches.set(ctx, (pending = new Map()));
  // Different page arguments cannot share a window: they batch separately.
  const key = JSON.stringify([kind, page.limit ?? null, page.cursor ?? null]);
  return new Promise((resolve, reject) => {
    let waiters = pending.get(key);
    if (!waiters) {
      pending.set(key, (waiters = []));
      setImmediate(() => {
        pending.delete(key);
        void flush(ctx, factoryId, kind, page, waiters!);
      });
    }
    waiters.push({ modelId, resolve: resolve as Waiter['resolve'], reject });
  });
}

async function flush(ctx: ApiContext, factoryId: string, kind: Kind, page: PageRequest, waiters: Waiter[]): Promise<void> {
  try {
    const modelIds = [...new Set(waiters.map((w) => w.modelId))];
    const pages = await LIST[kind](ctx.services.db, factoryId, modelIds, page);
    for (const w of waiters) w.resolve((pages.get(w.modelId) ?? { items: [], nextCursor: null }) as Page<never>);
  } catch (err) {
    for (const w of waiters) w.reject(err);
  }
}
