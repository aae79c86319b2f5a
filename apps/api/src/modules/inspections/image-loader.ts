import { getImagesByIds, type Image } from '@gansight/db';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { requireFactoryCaller } from '../auth/require-caller';

type Loader = (id: string) => Promise<Image>;
const loaders = new WeakMap<ApiContext, Loader>();

/**
 * Loads images by id for one request, batching every id asked for in the same tick into one
 * query: a page of 100 inspections with their images costs two queries, not 101.
 */
export function loadImage(ctx: ApiContext, id: string): Promise<Image> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = createLoader(ctx);
    loaders.set(ctx, loader);
  }
  return loader(id);
}

function createLoader(ctx: ApiContext): Loader {
  const { factoryId } = requireFactoryCaller(ctx);
  const cache = new Map<string, Promise<Image>>();
  let pending: { id: string; resolve: (image: Image) => void; reject: (err: unknown) => void }[] = [];
  const flush = async () => {
    const batch = pending;
    pending = [];
    try {
      const found = new Map((await getImagesByIds(ctx.services.db, factoryId, batch.map((b) => b.id))).map((i) => [i.id, i]));
      for (const b of batch) {
        const image = found.get(b.id);
        if (image) b.resolve(image);
        else b.reject(apiError('NOT_FOUND', `Image ${b.id} was not found`));
      }
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  };
  return (id) => {
    let promise = cache.get(id);
    if (!promise) {
      promise = new Promise<Image>((resolve, reject) => {
        if (pending.length === 0) setImmediate(() => void flush());
        pending.push({ id, resolve, reject });
      });
      cache.set(id, promise);
    }
    return promise;
  };
}
