import type { Db } from '../client';
import type { Product } from '../generated/prisma/client';
import { BadInputError, NotFoundError } from '../errors';
import { isUniqueViolation, translateWriteError, type JsonInput } from './prisma-errors';
import { slugCandidates } from './slugs';
import { checkPatchModelSettings, minimumImageSide, type ProductModelSettings } from './product-model-settings';

export interface ProductInput {
  name: string;
  slug?: string;
  description?: string;
  imageSize: number;
  channels: 1 | 3;
  /** e.g. { mode: 'resize' } or { mode: 'center-crop' }. */
  preprocessing?: JsonInput;
  /** Which model it trains (product-model-settings.ts); default: the whole-image model. */
  modelSettings?: ProductModelSettings;
}

/**
 * The image sides a product may have: the GAN doubles its resolution per layer, so only powers
 * of two train, and above 512 px a model would need more memory and steps than a factory's
 * training machine gives it (larger parts are brought down by preprocessing).
 */
export const PRODUCT_IMAGE_SIZES = [8, 16, 32, 64, 128, 256, 512] as const;

export function isProductImageSize(size: number): boolean {
  return (PRODUCT_IMAGE_SIZES as readonly number[]).includes(size);
}

function checkShape(input: { imageSize?: number; channels?: number; modelSettings?: ProductModelSettings }): void {
  if (input.modelSettings?.kind === 'patch') checkPatchModelSettings(input.modelSettings);
  if (input.imageSize !== undefined && !isProductImageSize(input.imageSize)) {
    throw new BadInputError(`imageSize must be one of ${PRODUCT_IMAGE_SIZES.join(', ')} pixels`);
  }
  if (input.channels !== undefined && input.channels !== 1 && input.channels !== 3) {
    throw new BadInputError('channels must be 1 (grayscale) or 3 (RGB)');
  }
}

export async function createProduct(db: Db, factoryId: string, input: ProductInput): Promise<Product> {
  checkShape(input);
  // A slug the caller chose is theirs to fix; one derived from the name falls back to the
  // name's own hashed variant when another product's name took the readable one.
  const candidates = input.slug !== undefined ? [input.slug] : slugCandidates(input.name, 'product');
  for (const [i, slug] of candidates.entries()) {
    try {
      return await db.product.create({
        data: {
          factoryId,
          name: input.name,
          slug,
          description: input.description ?? null,
          imageSize: input.imageSize,
          channels: input.channels,
          preprocessing: input.preprocessing ?? { mode: 'resize' },
          modelSettings: (input.modelSettings ?? {}) as unknown as JsonInput,
        },
      });
    } catch (err) {
      if (isUniqueViolation(err) && i < candidates.length - 1 && !(await productNamed(db, factoryId, slug, input.name))) continue;
      translateWriteError(err, {
        entity: 'Product',
        conflict:
          input.slug !== undefined
            ? `A product with slug "${slug}" already exists in this factory`
            : `A product named "${input.name}" already exists in this factory (slug "${slug}"); choose another name or give a slug`,
        reference: { entity: 'Factory', id: factoryId },
      });
    }
  }
  throw new Error('unreachable: every slug candidate either returned or threw');
}

/** Whether the product holding `slug` has this very name (then a second one is the caller's conflict). */
async function productNamed(db: Db, factoryId: string, slug: string, name: string): Promise<boolean> {
  const holder = await db.product.findUnique({ where: { factoryId_slug: { factoryId, slug } }, select: { name: true } });
  return holder?.name === name;
}

/**
 * Fails with NOT_FOUND unless the product is this factory's. Creates call it first: unique keys
 * such as (productId, version) would otherwise answer CONFLICT for another factory's product
 * and so reveal that it exists.
 */
export async function requireProduct(db: Db, factoryId: string, productId: string): Promise<void> {
  const found = await db.product.findFirst({ where: { id: productId, factoryId }, select: { id: true } });
  if (!found) throw new NotFoundError('Product', productId);
}

export async function getProduct(db: Db, factoryId: string, productId: string): Promise<Product> {
  const product = await db.product.findFirst({ where: { id: productId, factoryId } });
  if (!product) throw new NotFoundError('Product', productId);
  return product;
}

export async function getProductBySlug(db: Db, factoryId: string, slug: string): Promise<Product> {
  const product = await db.product.findUnique({ where: { factoryId_slug: { factoryId, slug } } });
  if (!product) throw new NotFoundError('Product', slug);
  return product;
}

export async function listProducts(db: Db, factoryId: string, options: { includeArchived?: boolean } = {}): Promise<Product[]> {
  return db.product.findMany({
    where: { factoryId, ...(options.includeArchived ? {} : { archivedAt: null }) },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
}

export async function updateProduct(
  db: Db,
  factoryId: string,
  productId: string,
  patch: Partial<Omit<ProductInput, 'slug'>> & { archived?: boolean },
): Promise<Product> {
  checkShape(patch);
  const { archived, modelSettings, ...fields } = patch;
  try {
    return await db.$transaction(async (tx) => {
      const current = await tx.product.findFirst({ where: { id: productId, factoryId } });
      if (!current) throw new NotFoundError('Product', productId);
      // New settings (or a new size) must still serve the images the product already has.
      if (patch.imageSize !== undefined || modelSettings !== undefined) {
        const min = minimumImageSide({ imageSize: patch.imageSize ?? current.imageSize, modelSettings: modelSettings ?? current.modelSettings });
        const small = await tx.image.count({ where: { factoryId, productId, OR: [{ width: { lt: min } }, { height: { lt: min } }] } });
        if (small > 0) throw new BadInputError(`${small} image(s) of this product are smaller than ${min} px on a side, the least these settings can use; remove them or choose a larger scale or a smaller size`);
      }
      return tx.product.update({
        where: { id: productId, factoryId },
        data: {
          ...fields, ...(modelSettings === undefined ? {} : { modelSettings: modelSettings as unknown as JsonInput }),
          ...(archived === undefined ? {} : { archivedAt: archived ? new Date() : null }),
        },
      });
    });
  } catch (err) {
    translateWriteError(err, { entity: 'Product', id: productId });
  }
}
