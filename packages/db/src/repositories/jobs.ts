import type { Db } from '../client';
import type { Job, JobKind, RunStatus } from '../generated/prisma/client';
import { NotFoundError } from '../errors';
import { translateWriteError, type JsonInput } from './prisma-errors';

// The work queue every worker on every machine shares. A job always names its factory; the
// worker hands that factoryId to every data function it calls while running the job.

export async function enqueueJob(
  db: Db,
  factoryId: string,
  input: { kind: JobKind; payload?: JsonInput; priority?: number; runAt?: Date; maxAttempts?: number },
): Promise<Job> {
  try {
    return await db.job.create({
      data: {
        factoryId,
        kind: input.kind,
        payload: input.payload ?? {},
        priority: input.priority ?? 0,
        runAt: input.runAt ?? new Date(),
        maxAttempts: input.maxAttempts ?? 3,
      },
    });
  } catch (err) {
    translateWriteError(err, { entity: 'Job', reference: { entity: 'Factory', id: factoryId } });
  }
}

export async function getJob(db: Db, factoryId: string, jobId: string): Promise<Job> {
  const job = await db.job.findFirst({ where: { id: jobId, factoryId } });
  if (!job) throw new NotFoundError('Job', jobId);
  return job;
}

export async function listJobs(
  db: Db,
  factoryId: string,
  filter: { kind?: JobKind; status?: RunStatus } = {},
  limit = 50,
): Promise<Job[]> {
  return db.job.findMany({
    where: { factoryId, kind: filter.kind, status: filter.status },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: Math.min(Math.max(limit, 1), 200),
  });
}

/**
 * Takes the most urgent due job of the given kinds for this worker, or returns null. Safe
 * with many workers polling at once: each job is handed to exactly one (SKIP LOCKED).
 * Deliberately not tenant-scoped: workers serve every factory; the job says which.
 */
export async function claimNextJob(db: Db, workerId: string, kinds: JobKind[]): Promise<Job | null> {
  if (kinds.length === 0) return null;
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "Job" SET status = 'RUNNING', "lockedBy" = ${workerId}, "lockedAt" = now(),
      attempts = attempts + 1, "updatedAt" = now()
    WHERE id = (
      SELECT id FROM "Job"
      WHERE status = 'QUEUED' AND "runAt" <= now() AND kind::text = ANY(${kinds}::text[])
      ORDER BY priority DESC, "runAt" ASC, id ASC
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id`;
  const id = rows[0]?.id;
  return id ? db.job.findUnique({ where: { id } }) : null;
}

/** Marks a claimed job finished. Only the worker holding it may. */
export async function completeJob(db: Db, factoryId: string, jobId: string, workerId: string): Promise<Job> {
  const { count } = await db.job.updateMany({
    where: { id: jobId, factoryId, lockedBy: workerId, status: 'RUNNING' },
    data: { status: 'SUCCEEDED', finishedAt: new Date(), lockedBy: null, lockedAt: null },
  });
  if (count === 0) throw new NotFoundError('Job', jobId);
  return getJob(db, factoryId, jobId);
}

/**
 * Records a failure. The job is queued again after `retryAfterMs` (growing with each
 * attempt) until maxAttempts is reached; then it stays FAILED.
 */
export async function failJob(
  db: Db,
  factoryId: string,
  jobId: string,
  workerId: string,
  error: string,
  retryAfterMs = 5_000,
): Promise<Job> {
  const job = await db.job.findFirst({ where: { id: jobId, factoryId, lockedBy: workerId, status: 'RUNNING' } });
  if (!job) throw new NotFoundError('Job', jobId);
  const retry = job.attempts < job.maxAttempts;
  return db.job.update({
    where: { id: jobId, factoryId },
    data: {
      status: retry ? 'QUEUED' : 'FAILED',
      lastError: error,
      lockedBy: null,
      lockedAt: null,
      runAt: retry ? new Date(Date.now() + retryAfterMs * job.attempts) : job.runAt,
      finishedAt: retry ? null : new Date(),
    },
  });
}

/** Cancels a job that has not finished yet; a running job's worker sees it on its next check. */
export async function cancelJob(db: Db, factoryId: string, jobId: string): Promise<Job> {
  await db.job.updateMany({
    where: { id: jobId, factoryId, status: { in: ['QUEUED', 'RUNNING'] } },
    data: { status: 'CANCELLED', finishedAt: new Date() },
  });
  return getJob(db, factoryId, jobId);
}

/** Puts back jobs whose worker stopped heart-beating (crashed machine); returns how many. */
export async function requeueStaleJobs(db: Db, lockedBefore: Date): Promise<number> {
  const { count } = await db.job.updateMany({
    where: { status: 'RUNNING', lockedAt: { lt: lockedBefore } },
    data: { status: 'QUEUED', lockedBy: null, lockedAt: null },
  });
  return count;
}
