import {
  createDefectType,
  createProduct,
  getDefectType,
  getProduct,
  listDefectTypesPage,
  listProductsPage,
  updateDefectType,
  updateProduct,
  type JsonInput,
  type Product,
} from '@gansight/db';
import type { ApiContext } from '../../context';
import { apiError } from '../auth/api-errors';
import { requireFactoryCaller } from '../auth/require-caller';
import { pageRequest, toConnection, type ConnectionArgs } from '../common/connection';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/;
const MODES = ['resize', 'center-crop', 'pad'];
// 'per-image' standardises each image's brightness (ADR 0010); models record what they trained with.
const INTENSITIES = ['raw', 'per-image'];

function checkName(name: string | null | undefined, what: string): string | undefined {
  if (name === undefined || name === null) return undefined;
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200) throw apiError('BAD_USER_INPUT', `${what} must be 1-200 characters.`);
  return trimmed;
}

// Checked here so that a bad mode fails at creation, not when the worker first preprocesses.
function checkPreprocessing(value: unknown): JsonInput | undefined {
  if (value === undefined || value === null) return undefined;
  const mode = (value as { mode?: unknown }).mode;
  if (typeof value !== 'object' || Array.isArray(value) || !MODES.includes(String(mode))) {
    throw apiError('BAD_USER_INPUT', `preprocessing must be an object with mode ${MODES.map((m) => `"${m}"`).join(', ')}.`);
  }
  const intensity = (value as { intensity?: unknown }).intensity;
  if (intensity !== undefined && !INTENSITIES.includes(String(intensity))) {
    throw apiError('BAD_USER_INPUT', `preprocessing.intensity must be ${INTENSITIES.map((m) => `"${m}"`).join(' or ')}.`);
  }
  return value as JsonInput;
}

function checkChannels(channels: number | null | undefined): 1 | 3 | undefined {
  if (channels === undefined || channels === null) return undefined;
  if (channels !== 1 && channels !== 3) throw apiError('BAD_USER_INPUT', 'channels must be 1 (grayscale) or 3 (RGB).');
  return channels;
}

const presentProduct = (p: Product) => ({ ...p, archived: p.archivedAt !== null });

interface ProductInputArgs {
  name?: string | null;
  slug?: string | null;
  description?: string | null;
  imageSize?: number | null;
  channels?: number | null;
  preprocessing?: unknown;
  archived?: boolean | null;
}

export const productsResolvers = {
  Query: {
    products: async (_: unknown, args: ConnectionArgs & { includeArchived?: boolean }, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const page = await listProductsPage(ctx.services.db, factoryId, { includeArchived: args.includeArchived ?? false }, pageRequest(args));
      return toConnection({ ...page, items: page.items.map(presentProduct) });
    },
    product: async (_: unknown, args: { id: string }, ctx: ApiContext) =>
      presentProduct(await getProduct(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.id)),
    defectTypes: async (_: unknown, args: ConnectionArgs & { productId: string }, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      return toConnection(await listDefectTypesPage(ctx.services.db, factoryId, args.productId, pageRequest(args)));
    },
    defectType: async (_: unknown, args: { id: string }, ctx: ApiContext) =>
      getDefectType(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.id),
  },
  Mutation: {
    createProduct: async (_: unknown, { input }: { input: ProductInputArgs }, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      if (input.slug != null && !SLUG.test(input.slug)) {
        throw apiError('BAD_USER_INPUT', 'slug must be 1-60 lowercase letters, digits or dashes, not starting or ending with a dash.');
      }
      const product = await createProduct(ctx.services.db, factoryId, {
        name: checkName(input.name, 'name')!,
        slug: input.slug ?? undefined,
        description: input.description ?? undefined,
        imageSize: input.imageSize!,
        channels: checkChannels(input.channels)!,
        preprocessing: checkPreprocessing(input.preprocessing),
      });
      return presentProduct(product);
    },
    updateProduct: async (_: unknown, { id, input }: { id: string; input: ProductInputArgs }, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const patch = {
        name: checkName(input.name, 'name'),
        description: input.description ?? undefined,
        imageSize: input.imageSize ?? undefined,
        channels: checkChannels(input.channels),
        preprocessing: checkPreprocessing(input.preprocessing),
        archived: input.archived ?? undefined,
      };
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      return presentProduct(await updateProduct(ctx.services.db, factoryId, id, defined));
    },
    createDefectType: async (_: unknown, args: { productId: string; name: string; description?: string | null }, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      return createDefectType(ctx.services.db, factoryId, args.productId, {
        name: checkName(args.name, 'name')!,
        description: args.description ?? undefined,
      });
    },
    updateDefectType: async (_: unknown, args: { id: string; name?: string | null; description?: string | null }, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const patch = { name: checkName(args.name, 'name'), ...(args.description !== undefined ? { description: args.description } : {}) };
      return updateDefectType(ctx.services.db, factoryId, args.id, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    },
  },
};
