// Issue 13 item 3: the audit trail redacts secrets and bounds values at every depth, and
// bounds the whole row, through a real mutation on a running API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';

let t: TestApi;
let acme: TestFactory;

beforeAll(async () => {
  t = await startTestApi();
  acme = await t.createFactory('Acme Tiles');
});
afterAll(() => t.stop());

/** Every string anywhere in `value`, with its path. */
function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  return [];
}

describe('audit details', () => {
  it('redacts nested secrets and bounds strings at every depth and the row as a whole', async () => {
    const admin = await t.login(acme.adminEmail);
    const settings = {
      integrations: {
        mes: {
          url: 'https://mes.acme.example',
          auth: { note: 'y'.repeat(5_000), basic: { user: 'line-bot', password: 'hunter2-in-clear' }, oauth: { clientSecret: 'cs-in-clear', refresh: { token: 'rt-in-clear' } } },
          notes: { a: { b: { c: { d: { e: { long: 'x'.repeat(2_000) } } } } } },
        },
      },
      // Many mid-sized values: each under the string limit, together far over a sensible row.
      stations: Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`S${i}`, { label: `${i}`.padEnd(200, '.') }])),
    };
    const res = await t.gql('mutation($s: JSON) { updateFactory(settings: $s) { id } }', { s: settings }, { token: admin });
    expect(res.json.errors).toBeUndefined();

    const log = await t.gql('{ auditLog(first: 1, action: "updateFactory") { edges { node { details } } } }', {}, { token: admin });
    const details = log.json.data!.auditLog.edges[0].node.details;
    const text = JSON.stringify(details);
    for (const secret of ['hunter2-in-clear', 'cs-in-clear', 'rt-in-clear']) expect(text).not.toContain(secret);
    expect(details.settings.integrations.mes.auth.basic).toEqual({ user: 'line-bot', password: '[redacted]' });
    expect(details.settings.integrations.mes.url).toBe('https://mes.acme.example');
    expect(details.settings.integrations.mes.auth.note).toBe(`${'y'.repeat(500)}...`);
    expect(details.settings.integrations.mes.notes.a.b.c.d).toBe('[nested too deep]');
    for (const [path, value] of strings(details)) expect(value.length, path).toBeLessThanOrEqual(503);
    expect(text).not.toContain('x'.repeat(501));
    // About 28 KB of arguments; the row keeps at most ~16 KB of them and says what it dropped.
    expect(text.length).toBeLessThan(20_000);
    expect(text).toMatch(/more keys/);
    const [row] = await t.database.db.$queryRaw<{ bytes: number }[]>`
      SELECT octet_length("details"::text)::int AS bytes FROM "AuditLog" WHERE "factoryId" = ${acme.factoryId} AND "action" = 'updateFactory'`;
    expect(row!.bytes).toBeLessThan(20_000);
  });
});
