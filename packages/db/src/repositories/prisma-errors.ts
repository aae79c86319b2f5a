import { Prisma } from '../generated/prisma/client';
import { ConflictError, NotFoundError } from '../errors';

function knownCode(err: unknown): string | undefined {
  return err instanceof Prisma.PrismaClientKnownRequestError ? err.code : undefined;
}

/** P2025: the row to update or delete does not exist (within the factory we scoped to). */
export function isRecordMissing(err: unknown): boolean {
  return knownCode(err) === 'P2025';
}

/** P2002: a unique constraint refused the write. */
export function isUniqueViolation(err: unknown): boolean {
  return knownCode(err) === 'P2002';
}

/** P2003: a foreign key points nowhere; with our composite keys also "belongs to another factory". */
export function isForeignKeyViolation(err: unknown): boolean {
  return knownCode(err) === 'P2003';
}

/**
 * Translates Prisma's write errors into ours. A foreign key that points into another factory
 * fails exactly like one that points nowhere, so both become NOT_FOUND of the referenced entity.
 */
export function translateWriteError(
  err: unknown,
  context: { entity: string; id?: string; conflict?: string; reference?: { entity: string; id: string } },
): never {
  if (isRecordMissing(err)) throw new NotFoundError(context.entity, context.id ?? '(unknown)');
  if (isUniqueViolation(err)) throw new ConflictError(context.conflict ?? `${context.entity} already exists`);
  if (isForeignKeyViolation(err) && context.reference) {
    throw new NotFoundError(context.reference.entity, context.reference.id);
  }
  throw err;
}

export type JsonInput = Prisma.InputJsonValue;
