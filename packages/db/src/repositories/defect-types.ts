import type { Db } from '../client';
import type { DefectType } from '../generated/prisma/client';
import { NotFoundError } from '../errors';
import { requireProduct } from './products';
import { translateWriteError } from './prisma-errors';

export async function createDefectType(
  db: Db,
  factoryId: string,
  productId: string,
  input: { name: string; description?: string },
): Promise<DefectType> {
  await requireProduct(db, factoryId, productId);
  try {
    return await db.defectType.create({
      data: { factoryId, productId, name: input.name, description: input.description ?? null },
    });
  } catch (err) {
    translateWriteError(err, {
      entity: 'DefectType',
      conflict: `Defect type "${input.name}" already exists for this product`,
      reference: { entity: 'Product', id: productId },
    });
  }
}

export async function getDefectType(db: Db, factoryId: string, defectTypeId: string): Promise<DefectType> {
  const found = await db.defectType.findFirst({ where: { id: defectTypeId, factoryId } });
  if (!found) throw new NotFoundError('DefectType', defectTypeId);
  return found;
}

export async function listDefectTypes(db: Db, factoryId: string, productId: string): Promise<DefectType[]> {
  return db.defectType.findMany({ where: { factoryId, productId }, orderBy: [{ name: 'asc' }] });
}

export async function updateDefectType(
  db: Db,
  factoryId: string,
  defectTypeId: string,
  patch: { name?: string; description?: string | null },
): Promise<DefectType> {
  try {
    return await db.defectType.update({ where: { id: defectTypeId, factoryId }, data: patch });
  } catch (err) {
    translateWriteError(err, { entity: 'DefectType', id: defectTypeId, conflict: `Defect type "${patch.name}" already exists` });
  }
}
