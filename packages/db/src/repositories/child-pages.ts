import type { Db } from '../client';
import { Prisma } from '../generated/prisma/client';
import { decodeCursor, pageLimit, toPage, type Page, type PageRequest } from './pagination';

// Whitelisted tables: identifiers cannot be bound as parameters.
const CHILD_TABLES = {
  trainingRun: Prisma.sql`"TrainingRun"`,
  evaluation: Prisma.sql`"Evaluation"`,
} as const;

export type ModelChild = keyof typeof CHILD_TABLES;

/**
 * The ids of one page (newest first, after `page.cursor`) of each model's training runs or
 * evaluations, in one statement for any number of models: a window function numbers every
 * model's rows, so a page of 100 models with their runs costs the same as one model.
 */
export async function pageIdsPerModel(
  db: Db,
  factoryId: string,
  child: ModelChild,
  modelIds: readonly string[],
  page: PageRequest,
): Promise<{ limit: number; ids: string[] }> {
  const limit = pageLimit(page);
  if (modelIds.length === 0) return { limit, ids: [] };
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const keyset = after
    ? Prisma.sql`AND ("createdAt" < ${after.createdAt} OR ("createdAt" = ${after.createdAt} AND "id" < ${after.id}))`
    : Prisma.empty;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM (
      SELECT "id", row_number() OVER (PARTITION BY "modelId" ORDER BY "createdAt" DESC, "id" DESC) AS "rank"
      FROM ${CHILD_TABLES[child]}
      WHERE "factoryId" = ${factoryId} AND "modelId" = ANY(${[...modelIds]}::text[]) ${keyset}
    ) ranked
    WHERE "rank" <= ${limit + 1}`;
  return { limit, ids: rows.map((r) => r.id) };
}

/** Splits rows of many models into one page per model (rows already newest first). */
export function pagesByModel<T extends { id: string; modelId: string; createdAt: Date }>(
  modelIds: readonly string[],
  rows: T[],
  limit: number,
): Map<string, Page<T>> {
  const byModel = new Map<string, T[]>(modelIds.map((id) => [id, []]));
  for (const row of rows) byModel.get(row.modelId)?.push(row);
  return new Map([...byModel].map(([id, list]) => [id, toPage(list, limit)]));
}
