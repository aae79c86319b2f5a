import type { Db } from '../client';
import type { Product } from '../generated/prisma/client';
import { BadInputError, NotFoundError } from '../errors';
import { slugify } from './factories';
import { translateWriteError, type JsonInput } from './prisma-errors';

export interface ProductInput {
  name: string;
  slug?: string;
  description?: string;
  imageSize: number;
  channels: 1 | 3;
  /** e.g. { mode: 'resize' } or { mode: 'center-crop' }. */
  preprocessing?: JsonInput;
}

function checkShape(input: { imageSize?: number; channels?: number }): void {
  if (input.imageSize !== undefined && (!Number.isInteger(input.imageSize) || input.imageSize < 8 || input.imageSize > 1024)) {
    throw new BadInputError('imageSize must be a whole number of pixels between 8 and 1024');
  }
  if (input.channels !== undefined && input.channels !== 1 && input.channels !== 3) {
    throw new BadInputError('channels must be 1 (grayscale) or 3 (RGB)');
  }
}

export async function createProduct(db: Db, factoryId: string, input: ProductInput): Promise<Product> {
  checkShape(input);
  const slug = input.slug ?? slugify(input.name);
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
      },
    });
  } catch (err) {
    translateWriteError(err, {
      entity: 'Product',
      conflict: `A product with slug "${slug}" already exists in this factory`,
      reference: { entity: 'Factory', id: factoryId },
    });
  }
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
  const { archived, ...fields } = patch;
  try {
    return await db.product.update({
      where: { id: productId, factoryId },
      data: { ...fields, ...(archived === undefined ? {} : { archivedAt: archived ? new Date() : null }) },
    });
  } catch (err) {
    translateWriteError(err, { entity: 'Product', id: productId });
  }
}
