// The worker fleet as factory admins see it: every registered worker with its backend, version,
// load and liveness, but no host names, and nothing for engineers or API keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeatWorkerNode, registerWorkerNode } from '@gansight/db';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';

let t: TestApi;
let acme: TestFactory;
let admin: string;

beforeAll(async () => {
  t = await startTestApi();
  acme = await t.createFactory('Acme Tiles');
  admin = await t.login(acme.adminEmail);
});
afterAll(() => t.stop());

const WORKERS = '{ workers { id backend version jobsInFlight startedAt heartbeatAt alive } }';

describe('workers', () => {
  it('lists every worker with its liveness to a factory admin, without host names', async () => {
    const gpu = await registerWorkerNode(t.database.db, { host: 'gpu-box-7.internal', backend: 'tensorflow-gpu', version: '0.1.0' });
    await heartbeatWorkerNode(t.database.db, gpu.id, 2);
    const silent = await registerWorkerNode(t.database.db, { host: 'old-box.internal', backend: 'wasm', version: '0.0.9' });
    // A worker that stopped reporting five minutes ago (crashed; not yet pruned by a live one).
    await t.database.db.workerNode.update({ where: { id: silent.id }, data: { heartbeatAt: new Date(Date.now() - 300_000) } });

    const res = await t.gql(WORKERS, {}, { token: admin });
    expect(res.json.errors).toBeUndefined();
    expect(res.json.data!.workers).toEqual([
      { id: gpu.id, backend: 'tensorflow-gpu', version: '0.1.0', jobsInFlight: 2, startedAt: expect.any(String), heartbeatAt: expect.any(String), alive: true },
      { id: silent.id, backend: 'wasm', version: '0.0.9', jobsInFlight: 0, startedAt: expect.any(String), heartbeatAt: expect.any(String), alive: false },
    ]);
    expect(JSON.stringify(res.json)).not.toMatch(/internal/);
    // The schema has no host field to ask for.
    expect(errorCode(await t.gql('{ workers { id host } }', {}, { token: admin }))).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses engineers and API keys', async () => {
    const invite = await t.gql('mutation { inviteMember(email: "erin@acme.example", role: ENGINEER) { temporaryPassword } }', {}, { token: admin });
    const erin = await t.login('erin@acme.example', invite.json.data!.inviteMember.temporaryPassword);
    for (const token of [erin, acme.keyToken]) {
      const res = await t.gql(WORKERS, {}, { token });
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.json.data ?? null).toBeNull();
    }
  });
});
