import type { Db } from '../client';
import type { Factory, Role } from '../generated/prisma/client';
import { ConflictError, NotFoundError } from '../errors';
import { isUniqueViolation, type JsonInput } from './prisma-errors';
import { slugCandidates } from './slugs';

export interface BootstrapFactoryInput {
  name: string;
  /** Derived from the name when omitted. */
  slug?: string;
  /** An existing user (same email) is reused and made ADMIN of the new factory. */
  admin: { email: string; name?: string; passwordHash: string };
  /** Secrets are hashed by the caller; we only store what we are given. */
  apiKey: { name: string; prefix: string; secretHash: string; scopes: string[] };
}

export interface BootstrapFactoryResult {
  factoryId: string;
  slug: string;
  adminUserId: string;
  apiKeyId: string;
}

/** Creates a factory, its first admin and its first API key, all or nothing. */
export async function bootstrapFactory(db: Db, input: BootstrapFactoryInput): Promise<BootstrapFactoryResult> {
  const slug = input.slug ?? (await freeFactorySlug(db, input.name));
  const email = input.admin.email.trim().toLowerCase();
  try {
    return await db.$transaction(async (tx) => {
      const factory = await tx.factory.create({ data: { name: input.name, slug } });
      const user = await tx.user.upsert({
        where: { email },
        create: { email, name: input.admin.name ?? null, passwordHash: input.admin.passwordHash },
        update: {},
      });
      await tx.membership.create({ data: { userId: user.id, factoryId: factory.id, role: 'ADMIN' satisfies Role } });
      const key = await tx.apiKey.create({
        data: {
          factoryId: factory.id,
          name: input.apiKey.name,
          prefix: input.apiKey.prefix,
          secretHash: input.apiKey.secretHash,
          scopes: input.apiKey.scopes,
          createdById: user.id,
        },
      });
      return { factoryId: factory.id, slug, adminUserId: user.id, apiKeyId: key.id };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ConflictError(`A factory with slug "${slug}" or an API key with that prefix already exists`, ['slug']);
    }
    throw err;
  }
}

/**
 * The first derived slug no factory has: a name whose readable slug another name already took
 * gets its own hashed variant instead of a CONFLICT about a slug the caller never chose.
 */
async function freeFactorySlug(db: Db, name: string): Promise<string> {
  const candidates = slugCandidates(name, 'factory');
  for (const candidate of candidates) {
    const holder = await db.factory.findUnique({ where: { slug: candidate }, select: { name: true } });
    // Free, or taken by a factory of this very name: then the CONFLICT is about the caller's name.
    if (!holder || holder.name === name) return candidate;
  }
  return candidates.at(-1)!;
}

/** The factory itself; NOT_FOUND when it does not exist. */
export async function getFactory(db: Db, factoryId: string): Promise<Factory> {
  const factory = await db.factory.findUnique({ where: { id: factoryId } });
  if (!factory) throw new NotFoundError('Factory', factoryId);
  return factory;
}

export async function updateFactory(
  db: Db,
  factoryId: string,
  patch: { name?: string; settings?: JsonInput },
): Promise<Factory> {
  const found = await db.factory.updateMany({ where: { id: factoryId }, data: patch });
  if (found.count === 0) throw new NotFoundError('Factory', factoryId);
  return getFactory(db, factoryId);
}
