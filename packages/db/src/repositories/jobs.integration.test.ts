import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, seedFactory, type SeededFactory, type TestDatabase } from '../testing';
import * as api from '../index';

let t: TestDatabase;
let a: SeededFactory;
let b: SeededFactory;
beforeAll(async () => {
  t = await createTestDatabase();
  a = await seedFactory(t.db, 'ja');
  b = await seedFactory(t.db, 'jb');
});
afterAll(async () => {
  await t.drop();
});

describe('job queue', () => {
  it('hands every job to exactly one of many workers polling at once', async () => {
    const enqueued = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api.enqueueJob(t.db, i % 2 ? a.factoryId : b.factoryId, { kind: 'INSPECT', payload: { i } }),
      ),
    );
    const claimed: api.Job[] = [];
    await Promise.all(
      Array.from({ length: 5 }, async (_, w) => {
        for (;;) {
          const job = await api.claimNextJob(t.db, `worker-${w}`, ['INSPECT']);
          if (!job) return;
          claimed.push(job);
        }
      }),
    );
    expect(claimed.map((j) => j.id).sort()).toEqual(enqueued.map((j) => j.id).sort());
    expect(claimed.every((j) => j.status === 'RUNNING' && j.attempts === 1 && j.lockedBy?.startsWith('worker-'))).toBe(true);
    for (const job of claimed) await api.completeJob(t.db, job.factoryId, job.id, job.lockedBy!);
    expect(await api.listJobs(t.db, a.factoryId, { status: 'SUCCEEDED' })).toHaveLength(6);
  });

  it('takes urgent and due jobs first and only the kinds asked for', async () => {
    await api.enqueueJob(t.db, a.factoryId, { kind: 'TRAIN', payload: { n: 'later' }, runAt: new Date(Date.now() + 60_000) });
    await api.enqueueJob(t.db, a.factoryId, { kind: 'TRAIN', payload: { n: 'low' } });
    await api.enqueueJob(t.db, a.factoryId, { kind: 'TRAIN', payload: { n: 'high' }, priority: 10 });
    await api.enqueueJob(t.db, a.factoryId, { kind: 'EVALUATE', payload: { n: 'eval' } });
    expect(await api.claimNextJob(t.db, 'w', [])).toBeNull();
    expect((await api.claimNextJob(t.db, 'w', ['TRAIN']))?.payload).toEqual({ n: 'high' });
    expect((await api.claimNextJob(t.db, 'w', ['TRAIN']))?.payload).toEqual({ n: 'low' });
    expect(await api.claimNextJob(t.db, 'w', ['TRAIN'])).toBeNull(); // 'later' is not due
    expect((await api.claimNextJob(t.db, 'w', ['EVALUATE', 'TRAIN']))?.payload).toEqual({ n: 'eval' });
  });

  it('retries a failed job until maxAttempts, then leaves it FAILED', async () => {
    const job = await api.enqueueJob(t.db, b.factoryId, { kind: 'EVALUATE', maxAttempts: 2, priority: 100 });
    const first = await api.claimNextJob(t.db, 'w1', ['EVALUATE']);
    expect(first?.id).toBe(job.id);
    const retried = await api.failJob(t.db, b.factoryId, job.id, 'w1', 'out of memory', 0);
    expect(retried).toMatchObject({ status: 'QUEUED', lastError: 'out of memory', lockedBy: null });
    const second = await api.claimNextJob(t.db, 'w2', ['EVALUATE']);
    expect(second).toMatchObject({ id: job.id, attempts: 2 });
    // Only the worker holding the job may finish it.
    await expect(api.completeJob(t.db, b.factoryId, job.id, 'w1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const failed = await api.failJob(t.db, b.factoryId, job.id, 'w2', 'out of memory again', 0);
    expect(failed.status).toBe('FAILED');
    expect(failed.finishedAt).toBeInstanceOf(Date);
  });

  it('requeues jobs of workers that went silent, and cancels', async () => {
    const job = await api.enqueueJob(t.db, a.factoryId, { kind: 'TRAIN', priority: 1000 });
    expect((await api.claimNextJob(t.db, 'dead-worker', ['TRAIN']))?.id).toBe(job.id);
    expect(await api.requeueStaleJobs(t.db, new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
    expect((await api.getJob(t.db, a.factoryId, job.id)).status).toBe('QUEUED');
    expect((await api.cancelJob(t.db, a.factoryId, job.id)).status).toBe('CANCELLED');
  });

  it("keeps factories' jobs apart", async () => {
    const job = await api.enqueueJob(t.db, b.factoryId, { kind: 'INSPECT', runAt: new Date(Date.now() + 3_600_000) });
    await expect(api.getJob(t.db, a.factoryId, job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.cancelJob(t.db, a.factoryId, job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.failJob(t.db, a.factoryId, job.id, 'w', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await api.listJobs(t.db, a.factoryId)).some((j) => j.id === job.id)).toBe(false);
    expect((await api.getJob(t.db, b.factoryId, job.id)).status).toBe('QUEUED');
  });

  it('tracks live workers by heartbeat', async () => {
    const w = await api.registerWorker(t.db, { host: 'gpu-1', backend: 'tensorflow', version: '0.1.0' });
    await api.heartbeatWorker(t.db, w.id, 2);
    expect((await api.listLiveWorkers(t.db)).find((x) => x.id === w.id)?.jobsInFlight).toBe(2);
    await api.removeWorker(t.db, w.id);
    await expect(api.heartbeatWorker(t.db, w.id, 0)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
