import {
  minimumImageSide,
  readProductModelSettings,
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
import type {
  MutationCreateDefectTypeArgs,
  MutationCreateProductArgs,
  MutationUpdateDefectTypeArgs,
  MutationUpdateProductArgs,
  QueryDefectTypeArgs,
  QueryDefectTypesArgs,
  QueryProductArgs,
  QueryProductsArgs,
} from '@gansight/contracts/schema-types';
import type { ApiContext } from '../../context';
import { requireFactoryCaller } from '../auth/require-caller';
import { pageRequest, toConnection } from '../common/connection';
import { definedOnly } from '../common/defined-only';
import { createProductSchema, descriptionSchema, nameSchema, parseInput, updateProductSchema } from './product-input';

const presentProduct = (p: Product) => {
  const s = readProductModelSettings(p.modelSettings);
  return {
    ...p,
    archived: p.archivedAt !== null,
    modelSettings: s.kind === 'patch' ? { ...s, kind: 'PATCH' } : { kind: 'WHOLE', scale: null, patchSize: null, defectMap: null, flips: null },
    minimumImageSide: minimumImageSide(p),
  };
};

export const productsResolvers = {
  Query: {
    products: async (_: unknown, args: QueryProductsArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const page = await listProductsPage(ctx.services.db, factoryId, { includeArchived: args.includeArchived ?? false }, pageRequest(args));
      return toConnection({ ...page, items: page.items.map(presentProduct) });
    },
    product: async (_: unknown, args: QueryProductArgs, ctx: ApiContext) =>
      presentProduct(await getProduct(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.id)),
    defectTypes: async (_: unknown, args: QueryDefectTypesArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      return toConnection(await listDefectTypesPage(ctx.services.db, factoryId, args.productId, pageRequest(args)));
    },
    defectType: async (_: unknown, args: QueryDefectTypeArgs, ctx: ApiContext) =>
      getDefectType(ctx.services.db, requireFactoryCaller(ctx).factoryId, args.id),
  },
  Mutation: {
    createProduct: async (_: unknown, { input }: MutationCreateProductArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const p = parseInput(createProductSchema, input);
      const product = await createProduct(ctx.services.db, factoryId, {
        ...definedOnly(p, ['slug', 'description', 'modelSettings']),
        name: p.name,
        imageSize: p.imageSize,
        channels: p.channels,
        preprocessing: (p.preprocessing ?? undefined) as JsonInput | undefined,
      });
      return presentProduct(product);
    },
    updateProduct: async (_: unknown, { id, input }: MutationUpdateProductArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const patch = definedOnly(parseInput(updateProductSchema, input));
      return presentProduct(await updateProduct(ctx.services.db, factoryId, id, { ...patch, preprocessing: patch.preprocessing as JsonInput | undefined }));
    },
    createDefectType: async (_: unknown, args: MutationCreateDefectTypeArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      return createDefectType(ctx.services.db, factoryId, args.productId, {
        name: parseInput(nameSchema, args.name, 'name'),
        description: parseInput(descriptionSchema.nullish(), args.description, 'description') ?? undefined,
      });
    },
    updateDefectType: async (_: unknown, args: MutationUpdateDefectTypeArgs, ctx: ApiContext) => {
      const { factoryId } = requireFactoryCaller(ctx);
      const patch = {
        name: parseInput(nameSchema.nullish(), args.name, 'name') ?? undefined,
        ...(args.description !== undefined ? { description: parseInput(descriptionSchema.nullable(), args.description, 'description') } : {}),
      };
      return updateDefectType(ctx.services.db, factoryId, args.id, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    },
  },
};
