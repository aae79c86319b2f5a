// The worker fleet as factory admins see it: every registered worker with its backend, version,
// load and liveness, but no host names, and nothing for engineers or API keys. The platform
// operator's token sees the hosts too, and nothing of any factory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeatWorkerNode, registerWorkerNode } from '@gansight/db';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';

let t: TestApi;
let acme: TestFactory;
let admin: string;
const OPERATOR = 'op-'.padEnd(48, 'x7');

beforeAll(async () => {
  t = await startTestApi({ services: { platformOperatorToken: OPERATOR } });
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

  it('shows the platform operator every worker with its host, and nothing of any factory', async () => {
    const res = await t.gql('{ platformWorkers { host backend alive } }', {}, { token: OPERATOR });
    expect(res.json.errors).toBeUndefined();
    expect(res.json.data!.platformWorkers).toEqual(expect.arrayContaining([
      { host: 'gpu-box-7.internal', backend: 'tensorflow-gpu', alive: true },
      { host: 'old-box.internal', backend: 'wasm', alive: false },
    ]));
    // The operator token opens nothing else: not a factory's data, not even "me".
    for (const query of ['{ me { kind } }', '{ products { edges { node { id } } } }', WORKERS]) {
      const refused = await t.gql(query, {}, { token: OPERATOR });
      expect(errorCode(refused)).toBe('FORBIDDEN');
      expect(refused.json.data ?? null).toBeNull();
    }
    // Factory admins and keys never see hosts; a near-miss of the token is just a bad credential.
    expect(errorCode(await t.gql('{ platformWorkers { host } }', {}, { token: admin }))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql('{ platformWorkers { host } }', {}, { token: acme.keyToken }))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql('{ platformWorkers { host } }', {}, { token: `${OPERATOR}x` }))).toBe('UNAUTHENTICATED');
  });
});
