import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing';
import * as api from '../index';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe('worker registry', () => {
  it('tracks live workers by heartbeat and forgets them', async () => {
    const w = await api.registerWorkerNode(t.db, { host: 'gpu-1', backend: 'tensorflow', version: '0.1.0' });
    await api.heartbeatWorkerNode(t.db, w.id, 2);
    expect((await api.listLiveWorkerNodes(t.db)).find((x) => x.id === w.id)?.jobsInFlight).toBe(2);
    expect(await api.listLiveWorkerNodes(t.db, -1000)).toEqual([]); // nobody reported in the future
    await api.unregisterWorkerNode(t.db, w.id);
    await expect(api.heartbeatWorkerNode(t.db, w.id, 0)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('prunes workers that went silent', async () => {
    const w = await api.registerWorkerNode(t.db, { host: 'gone', backend: 'wasm', version: '0.1.0' });
    await new Promise((r) => setTimeout(r, 20));
    expect(await api.pruneWorkerNodes(t.db, 10)).toBeGreaterThanOrEqual(1);
    expect((await api.listLiveWorkerNodes(t.db)).some((x) => x.id === w.id)).toBe(false);
  });
});

describe('pingDatabase', () => {
  it('answers when the database is reachable and throws when it is not', async () => {
    await expect(api.pingDatabase(t.db)).resolves.toBeUndefined();
    const broken = api.createDbClient('postgresql://nobody:x@127.0.0.1:1/none');
    await expect(api.pingDatabase(broken)).rejects.toThrow();
    await broken.$disconnect();
  });
});
