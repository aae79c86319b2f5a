import type { Db } from '../client';
import type { ActorType, AuditLog } from '../generated/prisma/client';
import { afterCursor, newestFirst, pageLimit, toPage, type Page, type PageRequest } from './pagination';
import { translateWriteError, type JsonInput } from './prisma-errors';

export interface AuditActor {
  type: ActorType;
  userId?: string | null;
  apiKeyId?: string | null;
}

/** Appends one entry to the factory's audit trail. */
export async function recordAudit(
  db: Db,
  factoryId: string,
  entry: { actor: AuditActor; action: string; targetType?: string; targetId?: string; details?: JsonInput },
): Promise<AuditLog> {
  try {
    return await db.auditLog.create({
      data: {
        factoryId,
        actorType: entry.actor.type,
        actorUserId: entry.actor.userId ?? null,
        actorApiKeyId: entry.actor.apiKeyId ?? null,
        action: entry.action,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        details: entry.details ?? {},
      },
    });
  } catch (err) {
    translateWriteError(err, { entity: 'AuditLog', reference: { entity: 'Factory', id: factoryId } });
  }
}

export async function listAuditLog(
  db: Db,
  factoryId: string,
  filter: { action?: string; targetType?: string; targetId?: string } = {},
  page: PageRequest = {},
): Promise<Page<AuditLog>> {
  const limit = pageLimit(page);
  const rows = await db.auditLog.findMany({
    where: { AND: [{ factoryId, ...filter }, afterCursor(page.cursor)] },
    orderBy: newestFirst,
    take: limit + 1,
  });
  return toPage(rows, limit);
}
