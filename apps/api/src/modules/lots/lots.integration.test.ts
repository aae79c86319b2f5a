import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateModel, createModel, recordInspectionResult, updateModel } from '@gansight/db';
import type { JobQueue } from '@gansight/contracts';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { pngImage } from '../../testing/test-images';

let t: TestApi;
let acme: TestFactory;
let productId: string;
const queued: string[] = [];
const jobs: JobQueue = { add: async (task, _payload, options) => void queued.push(`${task} ${options?.jobKey}`) };

const SUBMIT = 'mutation($i: SubmitInspectionInput!) { submitInspection(input: $i) { inspection { id } } }';

beforeAll(async () => {
  t = await startTestApi({ services: { jobs } });
  acme = await t.createFactory('Acme Tiles');
  const product = await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token: acme.keyToken });
  productId = product.json.data!.createProduct.id;
  const model = await createModel(t.database.db, acme.factoryId, { productId });
  await updateModel(t.database.db, acme.factoryId, model.id, { status: 'READY' });
  await activateModel(t.database.db, acme.factoryId, model.id);
});
afterAll(() => t.stop());

describe('lots', () => {
  it('collects inspections in a lot, counts them on close and queues the drift measurement', async () => {
    const create = 'mutation($p: ID!, $x: String) { createLot(productId: $p, name: "Night shift", externalId: $x) { id status imageCount } }';
    const lot = (await t.gql(create, { p: productId, x: 'LOT-2026-11-29-N' }, { token: acme.keyToken })).json.data!.createLot;
    expect(lot).toMatchObject({ status: 'OPEN', imageCount: 0 });
    expect(errorCode(await t.gql(create, { p: productId, x: 'LOT-2026-11-29-N' }, { token: acme.keyToken }))).toBe('CONFLICT');

    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const bytes = await pngImage(32, i);
      const res = await t.gql(SUBMIT, { i: { upload: { productId, dataBase64: bytes.toString('base64') }, lotId: lot.id } }, { token: acme.keyToken });
      ids.push(res.json.data!.submitInspection.inspection.id);
    }
    await recordInspectionResult(t.database.db, acme.factoryId, ids[0]!, { status: 'DONE', verdict: 'FAIL' });
    await recordInspectionResult(t.database.db, acme.factoryId, ids[1]!, { status: 'DONE', verdict: 'PASS' });

    const closed = await t.gql('mutation($l: ID!) { closeLot(id: $l) { status imageCount passCount failCount closedAt } }', { l: lot.id }, { token: acme.keyToken });
    expect(closed.json.data!.closeLot).toMatchObject({ status: 'CLOSED', imageCount: 3, passCount: 1, failCount: 1 });
    expect(queued).toContain(`lot lot:${lot.id}`);
    const bytes = await pngImage(32, 9);
    const late = await t.gql(SUBMIT, { i: { upload: { productId, dataBase64: bytes.toString('base64') }, lotId: lot.id } }, { token: acme.keyToken });
    expect(errorCode(late)).toBe('BAD_USER_INPUT');
    expect(await t.database.db.inspection.count({ where: { lotId: lot.id } })).toBe(3);

    const listed = await t.gql('query($p: ID!) { lots(productId: $p, status: CLOSED) { edges { node { id frechetDistance } } } }', { p: productId }, { token: acme.keyToken });
    expect(listed.json.data!.lots.edges).toEqual([{ node: { id: lot.id, frechetDistance: null } }]);
  });

  it('lists the lots of a period with their Frechet distances: drift over time', async () => {
    const db = t.database.db;
    const create = 'mutation($p: ID!, $n: String!) { createLot(productId: $p, name: $n) { id } }';
    // Lots measured by the worker on 1, 10 and 20 November: drift grows.
    const drift: [string, number][] = [['2026-11-01T06:00:00Z', 0.03], ['2026-11-10T06:00:00Z', 0.4], ['2026-11-20T06:00:00Z', 2.5]];
    const ids: string[] = [];
    for (const [at, frechetDistance] of drift) {
      const id = (await t.gql(create, { p: productId, n: `Lot ${at}` }, { token: acme.keyToken })).json.data!.createLot.id;
      await db.lot.update({ where: { id }, data: { createdAt: new Date(at), status: 'CLOSED', closedAt: new Date(at), frechetDistance } });
      ids.push(id);
    }
    const query = `query($p: ID!, $a: DateTime, $b: DateTime, $after: String) {
      lots(productId: $p, createdAfter: $a, createdBefore: $b, first: 1, after: $after) { edges { node { id createdAt frechetDistance } } pageInfo { hasNextPage endCursor } } }`;
    const period = { p: productId, a: '2026-11-05T00:00:00Z', b: '2026-11-20T06:00:00Z' };
    const first = (await t.gql(query, period, { token: acme.keyToken })).json.data!.lots;
    // The 20 November lot starts exactly at createdBefore (exclusive); 1 November is before the period.
    expect(first.edges).toEqual([{ node: { id: ids[1], createdAt: '2026-11-10T06:00:00.000Z', frechetDistance: 0.4 } }]);
    expect(first.pageInfo.hasNextPage).toBe(false);
    const late = (await t.gql(query, { p: productId, a: '2026-11-15T00:00:00Z', b: '2026-11-25T00:00:00Z' }, { token: acme.keyToken })).json.data!.lots;
    expect(late.edges.map((e: any) => e.node.frechetDistance)).toEqual([2.5]);
    const all = (await t.gql(query, { p: productId, a: '2026-10-01T00:00:00Z', b: '2026-11-25T00:00:00Z' }, { token: acme.keyToken })).json.data!.lots;
    expect(all.pageInfo.hasNextPage).toBe(true);
    const next = (await t.gql(query, { p: productId, a: '2026-10-01T00:00:00Z', b: '2026-11-25T00:00:00Z', after: all.pageInfo.endCursor }, { token: acme.keyToken })).json.data!.lots;
    expect([all, next].map((page: any) => page.edges[0].node.id)).toEqual([ids[2], ids[1]]);
    expect(errorCode(await t.gql(query, { p: productId, a: period.b, b: period.a }, { token: acme.keyToken }))).toBe('BAD_USER_INPUT');
  });

  it('shows the factory to its members and lets only admins change it', async () => {
    const session = await t.login(acme.adminEmail);
    const update = 'mutation { updateFactory(name: "Acme Tiles GmbH", settings: { locale: "de-DE", defaultSensitivity: 0.8 }) { name settings } }';
    expect(errorCode(await t.gql(update, {}, { token: acme.keyToken }))).toBe('FORBIDDEN');
    expect((await t.gql(update, {}, { token: session })).json.data!.updateFactory).toEqual({ name: 'Acme Tiles GmbH', settings: { locale: 'de-DE', defaultSensitivity: 0.8 } });
    expect(errorCode(await t.gql('mutation { updateFactory(settings: [1, 2]) { name } }', {}, { token: session }))).toBe('BAD_USER_INPUT');
    expect((await t.gql('{ factory { name slug } }', {}, { token: acme.keyToken })).json.data!.factory).toEqual({ name: 'Acme Tiles GmbH', slug: 'acme-tiles' });
  });
});
