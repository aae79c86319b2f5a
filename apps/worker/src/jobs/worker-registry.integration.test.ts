// A worker advertises itself in the WorkerNode table and stays listed: if another worker pruned
// its row (it was silent too long, e.g. a slow start on a loaded machine), its next heartbeat
// puts the row back under the same id. It also starts without looking for a crontab file, with
// its own schedule: the hourly retention job (ADR 0058).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerFixture, killAll, spawnWorker, waitFor, workerReady, type WorkerFixture, type WorkerProcess } from '../testing/worker-fixture';

let f: WorkerFixture;
let worker: WorkerProcess;

beforeAll(async () => {
  f = await createWorkerFixture();
});

afterAll(async () => {
  await killAll(worker ? [worker] : []);
  await f?.dispose();
});

describe('worker registry', () => {
  it('lists a running worker again after its row was pruned, and does not look for a crontab', async () => {
    worker = spawnWorker(f);
    await workerReady(worker);
    const [row] = await waitFor(() => f.db.workerNode.findMany(), (rows) => rows.length === 1, 30_000, 'worker row');
    expect(row).toMatchObject({ backend: 'wasm', version: expect.any(String) });
    expect(worker.output()).toContain(`${row!.id} ready on wasm`);

    await f.db.workerNode.deleteMany({ where: { id: row!.id } });
    const back = await waitFor(() => f.db.workerNode.findMany(), (rows) => rows.length === 1, 30_000, `row back\n${worker.output()}`);
    expect(back[0]).toMatchObject({ id: row!.id, startedAt: row!.startedAt });
    expect(back[0]!.heartbeatAt.getTime()).toBeGreaterThan(row!.heartbeatAt.getTime());
    expect(worker.output()).not.toMatch(/crontab/i);
    expect(worker.output()).toMatch(/tasks: .*\bretention\b/);
    // graphile-worker records each schedule it runs, once for the whole fleet.
    const schedules = await f.db.$queryRaw<{ identifier: string }[]>`SELECT identifier FROM graphile_worker._private_known_crontabs`;
    expect(schedules.map((r) => r.identifier)).toEqual(['retention']);
  });
});
