// The workers' half of the metrics contract (docs/DEPLOY.md): job durations by task and final
// state, the queue's depth (read from graphile-worker's table on each scrape), inversion and
// training throughput, the backend. No label carries a factory, product or job id (ADR 0055).
import { TASK, taskOfIdentifier } from '@gansight/contracts';
import type { Db } from '@gansight/db';
import { Gauge, Histogram, type Registry } from '@gansight/telemetry';
import { RETENTION_TASK } from '../retention/retention-task';

/** How a job attempt ended: `requeued` when it goes back to the queue (the worker drained, or it will be retried). */
export type JobState = 'done' | 'failed' | 'cancelled' | 'requeued';

// Retention is scheduled by the workers themselves (retention/retention-task.ts), not queued by the API.
const KINDS: readonly string[] = [...Object.values(TASK), RETENTION_TASK];
const QUEUE_STATES = ['waiting', 'running', 'failed'] as const;

export interface WorkerMetrics {
  jobFinished(kind: string, state: JobState, seconds: number): void;
  /** One inversion of `images` images through `iterations` iterations each, in `seconds`. */
  inversion(images: number, iterations: number, seconds: number): void;
  /** Training throughput as the last step reported it. */
  trainingImagesPerSecond(value: number): void;
}

export function createWorkerMetrics(registry: Registry, o: { db: Db; backend: string }): WorkerMetrics {
  // A pinned training identifier (train@tensorflow-gpu) counts as `train`: labels stay bounded.
  const kindLabel = (kind: string) => taskOfIdentifier(kind) ?? 'other';
  const duration = new Histogram({
    name: 'gansight_job_duration_seconds',
    help: 'Time a worker spent on one job attempt, by task and how it ended',
    labelNames: ['kind', 'state'],
    // From an inspection of one image (a fraction of a second) to a training run (an hour or more).
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14_400],
    registers: [registry],
  });
  new Gauge({
    name: 'gansight_queue_jobs',
    help: "Jobs in graphile-worker's queue by task and state (read when scraped)",
    labelNames: ['kind', 'state'],
    registers: [registry],
    // One grouped count over the queue table per scrape; the table holds only unfinished jobs
    // (graphile-worker deletes a job once it succeeds), so this stays cheap.
    async collect() {
      const rows = await o.db.$queryRaw<{ kind: string; state: string; jobs: number }[]>`
        SELECT task_identifier AS kind,
               CASE WHEN locked_at IS NOT NULL THEN 'running' WHEN attempts >= max_attempts THEN 'failed' ELSE 'waiting' END AS state,
               count(*)::int AS jobs
          FROM graphile_worker.jobs GROUP BY 1, 2`;
      this.reset();
      // Zeros too, so that an empty queue reads 0 rather than "no data".
      for (const kind of KINDS) for (const state of QUEUE_STATES) this.set({ kind, state }, 0);
      for (const r of rows) this.inc({ kind: kindLabel(r.kind), state: r.state }, r.jobs);
    },
  });
  const iterationsPerSecond = new Gauge({
    name: 'gansight_inversion_iterations_per_second',
    help: 'Inversion iterations per second over the last inspection batch (images x iterations / time)',
    labelNames: ['backend'],
    registers: [registry],
  });
  const imagesPerSecond = new Gauge({
    name: 'gansight_images_per_second',
    help: 'Images inspected (last inversion batch) or trained on (last reported step) per second',
    labelNames: ['kind', 'backend'],
    registers: [registry],
  });
  const backend = o.backend;
  return {
    jobFinished: (kind, state, seconds) => duration.observe({ kind: kindLabel(kind), state }, seconds),
    inversion(images, iterations, seconds) {
      if (seconds <= 0) return;
      imagesPerSecond.set({ kind: TASK.inspect, backend }, images / seconds);
      // Patch models score from their encoder's inversion alone: no iterations to count.
      if (iterations > 0) iterationsPerSecond.set({ backend }, (images * iterations) / seconds);
    },
    trainingImagesPerSecond: (value) => imagesPerSecond.set({ kind: TASK.train, backend }, value),
  };
}
