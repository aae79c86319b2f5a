// Issue 15: a factory's retention is an admin's setting, held to its bounds, audited, and read
// back on the factory; another factory's setting is untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';

let t: TestApi;
let acme: TestFactory;
let other: TestFactory;
let admin: string;
let engineer: string;

const SET = 'mutation($d: Int) { setInspectionRetention(days: $d) { id inspectionRetentionDays } }';
const READ = '{ factory { inspectionRetentionDays } }';

beforeAll(async () => {
  t = await startTestApi();
  acme = await t.createFactory('Acme Tiles');
  other = await t.createFactory('Other Works');
  admin = await t.login(acme.adminEmail);
  const invite = await t.gql('mutation { inviteMember(email: "eve@acme.example", role: ENGINEER) { temporaryPassword } }', {}, { token: admin });
  engineer = await t.login('eve@acme.example', invite.json.data!.inviteMember.temporaryPassword);
});
afterAll(() => t.stop());

describe('inspection retention setting', () => {
  it('is set by an admin, read back on the factory, audited, and leaves other factories alone', async () => {
    expect((await t.gql(READ, {}, { token: admin })).json.data!.factory.inspectionRetentionDays).toBeNull();
    const set = await t.gql(SET, { d: 90 }, { token: admin });
    expect(set.json.errors).toBeUndefined();
    expect(set.json.data!.setInspectionRetention).toEqual({ id: acme.factoryId, inspectionRetentionDays: 90 });
    expect((await t.gql(READ, {}, { token: admin })).json.data!.factory.inspectionRetentionDays).toBe(90);
    expect((await t.gql(READ, {}, { token: other.keyToken })).json.data!.factory.inspectionRetentionDays).toBeNull();

    const log = await t.gql('{ auditLog(first: 1, action: "setInspectionRetention") { edges { node { details targetId } } } }', {}, { token: admin });
    expect(log.json.data!.auditLog.edges[0].node).toEqual({ details: { days: 90 }, targetId: acme.factoryId });

    // null keeps everything again.
    expect((await t.gql(SET, { d: null }, { token: admin })).json.data!.setInspectionRetention.inspectionRetentionDays).toBeNull();
  });

  it('refuses days outside 1-3650 with BAD_USER_INPUT and changes nothing', async () => {
    await t.gql(SET, { d: 30 }, { token: admin });
    for (const d of [0, -5, 3651]) {
      const res = await t.gql(SET, { d }, { token: admin });
      expect(errorCode(res), `${d}`).toBe('BAD_USER_INPUT');
      expect(res.json.errors![0]!.message).toMatch(/1 to 3650 days/);
    }
    expect((await t.gql(READ, {}, { token: admin })).json.data!.factory.inspectionRetentionDays).toBe(30);
    expect((await t.gql(SET, { d: 3650 }, { token: admin })).json.data!.setInspectionRetention.inspectionRetentionDays).toBe(3650);
    expect((await t.gql(SET, { d: 1 }, { token: admin })).json.data!.setInspectionRetention.inspectionRetentionDays).toBe(1);
  });

  it('is refused to engineers and API keys (FORBIDDEN), who may still read it', async () => {
    await t.gql(SET, { d: 7 }, { token: admin });
    expect(errorCode(await t.gql(SET, { d: 1 }, { token: engineer }))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(SET, { d: 1 }, { token: acme.keyToken }))).toBe('FORBIDDEN');
    expect((await t.gql(READ, {}, { token: engineer })).json.data!.factory.inspectionRetentionDays).toBe(7);
  });
});
