// Tries every operation of the schema as factory B against factory A's ids and data. Each
// must fail with NOT_FOUND or FORBIDDEN, or (lists, creations) show and change only B's rows;
// no response may contain anything of A's beyond the ids B itself sent. A new operation
// without a case here fails the coverage test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateModel, createModel, createTrainingRun, updateModel } from '@gansight/db';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { listOperations } from '../modules/auth/enforce-permissions';
import { buildSchema } from '../schema';
import { startTestApi, type Auth, type GqlResponse, type TestApi, type TestFactory } from '../testing/test-api';
import { pngImage } from '../testing/test-images';

let t: TestApi;
let A: TestFactory;
let B: TestFactory;
const a = { session: '', productId: '', defectTypeId: '', imageId: '', sha256: '', inspectionId: '', uploadKey: '', memberId: '', modelId: '', runId: '', lotId: '' };
let bSession = '';
/** B's own READY model and image, to mix with A's ids. */
const b = { modelId: '', imageId: '' };

type Expect = 'DENIED' | { absent: true } | { own: true };
interface Attack {
  query: string;
  variables?: Record<string, unknown>;
  as?: 'key' | 'session';
  expect: Expect;
  /** Subscriptions run over WebSocket. */
  ws?: boolean;
}

/** Runs a subscription that is expected to be refused, returning its first result like an HTTP response. */
async function viaWebSocket(token: string, query: string, variables: Record<string, unknown> = {}): Promise<GqlResponse> {
  const client = createClient({ url: t.api.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  try {
    const json = await new Promise<GqlResponse['json']>((resolve) => {
      client.subscribe({ query, variables }, {
        next: (value) => resolve(value as GqlResponse['json']),
        error: (errors) => resolve({ errors: (Array.isArray(errors) ? errors : [{ message: String(errors) }]) as never }),
        complete: () => resolve({}),
      });
    });
    return { status: 200, json, headers: new Headers() };
  } finally {
    await client.dispose();
  }
}

async function seedA() {
  const auth = { token: A.keyToken };
  a.session = await t.login(A.adminEmail);
  const product = await t.gql('mutation { createProduct(input: { name: "Secret Widget", slug: "secret-widget", imageSize: 32, channels: 1 }) { id } }', {}, auth);
  a.productId = product.json.data!.createProduct.id;
  const defect = await t.gql('mutation($p: ID!) { createDefectType(productId: $p, name: "secret crack") { id } }', { p: a.productId }, auth);
  a.defectTypeId = defect.json.data!.createDefectType.id;
  const model = await createModel(t.database.db, A.factoryId, { productId: a.productId });
  // Calibrated, so that setting its threshold would succeed for A itself.
  await updateModel(t.database.db, A.factoryId, model.id, { status: 'READY', threshold: 1, scoreNormalisation: { threshold: 1, min: 0, max: 2 } });
  await activateModel(t.database.db, A.factoryId, model.id);
  a.modelId = model.id;
  // A second version still training, so that cancelling has something to hit.
  const training = await createModel(t.database.db, A.factoryId, { productId: a.productId });
  a.runId = (await createTrainingRun(t.database.db, A.factoryId, { modelId: training.id, totalSteps: 100 })).id;
  const lot = await t.gql('mutation($p: ID!) { createLot(productId: $p, name: "secret lot", externalId: "SECRET-LOT-1") { id } }', { p: a.productId }, auth);
  a.lotId = lot.json.data!.createLot.id;
  const bytes = await pngImage(32, 42);
  const image = await t.gql('mutation($i: UploadImageInput!) { uploadImage(input: $i) { image { id sha256 } } }', { i: { productId: a.productId, dataBase64: bytes.toString('base64') } }, auth);
  ({ id: a.imageId, sha256: a.sha256 } = image.json.data!.uploadImage.image);
  const inspection = await t.gql('mutation($i: ID!) { submitInspection(input: { imageId: $i, idempotencyKey: "shared-key-1" }) { inspection { id } } }', { i: a.imageId }, auth);
  a.inspectionId = inspection.json.data!.submitInspection.inspection.id;
  const upload = await t.gql('mutation($p: ID!) { requestImageUpload(productId: $p, contentType: "image/png") { key url } }', { p: a.productId }, auth);
  a.uploadKey = upload.json.data!.requestImageUpload.key;
  await fetch(upload.json.data!.requestImageUpload.url, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: new Uint8Array(bytes) });
  const invite = await t.gql('mutation { inviteMember(email: "secret.engineer@a.example", role: ENGINEER) { invitation { code } } }', {}, { token: a.session });
  const accepted = await t.gql('mutation($c: String!) { acceptInvitation(code: $c, password: "secret engineer password") { user { id } } }', { c: invite.json.data!.inviteMember.invitation.code });
  a.memberId = accepted.json.data!.acceptInvitation.user.id;
}

beforeAll(async () => {
  t = await startTestApi({ events: true });
  A = await t.createFactory('Alpha Secret Works');
  B = await t.createFactory('Beta Plant');
  await seedA();
  bSession = await t.login(B.adminEmail);
  // B has a product of its own, so that creations and lists have something legitimate to show.
  const bProduct = await t.gql('mutation { createProduct(input: { name: "Beta part", imageSize: 32, channels: 1 }) { id } }', {}, { token: B.keyToken });
  const bProductId = bProduct.json.data!.createProduct.id as string;
  const bModel = await createModel(t.database.db, B.factoryId, { productId: bProductId });
  await updateModel(t.database.db, B.factoryId, bModel.id, { status: 'READY' });
  b.modelId = bModel.id;
  const bImage = await t.gql('mutation($i: UploadImageInput!) { uploadImage(input: $i) { image { id } } }', { i: { productId: bProductId, dataBase64: (await pngImage(32, 7)).toString('base64') } }, { token: B.keyToken });
  b.imageId = bImage.json.data!.uploadImage.image.id;
});
afterAll(() => t.stop());

const denied: Expect = 'DENIED';
const absent: Expect = { absent: true };
const own: Expect = { own: true };
const one = (query: string, variables?: Record<string, unknown>, as?: 'key' | 'session'): Attack => ({ query, variables, as, expect: denied });

// Operation -> attacks by B. Cases are functions so they read A's ids after seeding.
const cases: Record<string, () => Attack[]> = {
  'Query.health': () => [{ query: '{ health { status version } }', expect: absent }],
  'Query.me': () => [{ query: '{ me { kind factory { id name } email } }', expect: absent }, { query: '{ me { kind factory { id } } }', as: 'session', expect: absent }],
  'Query.myFactories': () => [{ query: '{ myFactories { factory { id name } } }', as: 'session', expect: absent }],
  'Mutation.login': () => [one('mutation($f: ID!) { login(email: "admin@betaplant.example", password: "correct horse battery staple", factoryId: $f) { token } }', { f: A.factoryId })],
  // Both act only on the caller's own session and password; checked by A's session surviving.
  'Mutation.logout': () => [],
  'Mutation.changePassword': () => [],
  'Query.members': () => [{ query: '{ members { edges { node { userId email } } } }', as: 'session', expect: absent }],
  'Query.apiKeys': () => [{ query: '{ apiKeys { edges { node { id name prefix } } } }', as: 'session', expect: absent }],
  'Query.auditLog': () => [
    { query: '{ auditLog(first: 100) { edges { node { id action targetId details } } } }', as: 'session', expect: absent },
    { query: 'query($t: ID!) { auditLog(targetId: $t) { edges { node { id } } } }', variables: { t: a.productId }, as: 'session', expect: absent },
  ],
  'Mutation.inviteMember': () => [{ query: 'mutation { inviteMember(email: "newbie@b.example", role: VIEWER) { invitation { email } } }', as: 'session', expect: own }],
  // A code naming A's factory that A never signed (B cannot get a real one).
  'Mutation.acceptInvitation': () => [
    one('mutation($c: String!) { acceptInvitation(code: $c, password: "correct horse battery staple") { token } }', {
      c: `gsi_${Buffer.from(JSON.stringify({ factoryId: A.factoryId, email: B.adminEmail, role: 'ADMIN', issuedAt: Date.now(), expiresAt: Date.now() + 3600_000 })).toString('base64url')}.${'A'.repeat(43)}`,
    }),
  ],
  'Mutation.changeMemberRole': () => [one('mutation($u: ID!) { changeMemberRole(userId: $u, role: ADMIN) { role } }', { u: a.memberId }, 'session')],
  'Mutation.removeMember': () => [one('mutation($u: ID!) { removeMember(userId: $u) { email } }', { u: a.memberId }, 'session')],
  'Mutation.createApiKey': () => [{ query: 'mutation { createApiKey(name: "b key", scopes: ["results:read"]) { apiKey { id } } }', as: 'session', expect: own }],
  'Mutation.revokeApiKey': () => [one('mutation($k: ID!) { revokeApiKey(id: $k) { id } }', { k: A.apiKeyId }, 'session')],
  'Query.products': () => [{ query: '{ products(first: 100, includeArchived: true) { edges { node { id name slug } } } }', expect: absent }],
  'Query.product': () => [one('query($p: ID!) { product(id: $p) { name } }', { p: a.productId })],
  'Query.defectTypes': () => [one('query($p: ID!) { defectTypes(productId: $p) { edges { node { name } } } }', { p: a.productId })],
  'Query.defectType': () => [one('query($d: ID!) { defectType(id: $d) { name } }', { d: a.defectTypeId })],
  'Mutation.createProduct': () => [{ query: 'mutation { createProduct(input: { name: "Secret Widget", slug: "secret-widget", imageSize: 32, channels: 1 }) { id } }', expect: own }],
  'Mutation.updateProduct': () => [one('mutation($p: ID!) { updateProduct(id: $p, input: { name: "pwned", archived: true }) { name } }', { p: a.productId })],
  'Mutation.createDefectType': () => [one('mutation($p: ID!) { createDefectType(productId: $p, name: "secret crack") { id } }', { p: a.productId })],
  'Mutation.updateDefectType': () => [one('mutation($d: ID!) { updateDefectType(id: $d, name: "pwned") { name } }', { d: a.defectTypeId })],
  'Query.images': () => [
    { query: '{ images(first: 100) { edges { node { id sha256 url } } } }', expect: absent },
    one('query($p: ID!) { images(filter: { productId: $p }) { edges { node { id } } } }', { p: a.productId }),
  ],
  'Query.image': () => [one('query($i: ID!) { image(id: $i) { sha256 url } }', { i: a.imageId })],
  'Mutation.requestImageUpload': () => [one('mutation($p: ID!) { requestImageUpload(productId: $p, contentType: "image/png") { url } }', { p: a.productId })],
  'Mutation.registerImage': () => [one('mutation($k: String!, $s: String!) { registerImage(input: { key: $k, sha256: $s }) { image { id } } }', { k: a.uploadKey, s: a.sha256 })],
  'Mutation.uploadImage': () => [one('mutation($p: ID!) { uploadImage(input: { productId: $p, dataBase64: "iVBORw0KGgo=" }) { image { id } } }', { p: a.productId })],
  'Mutation.labelImage': () => [one('mutation($i: ID!) { labelImage(id: $i, label: DEFECTIVE) { label } }', { i: a.imageId })],
  'Mutation.assignImageSplit': () => [{ query: 'mutation($i: ID!) { assignImageSplit(ids: [$i], split: TEST) }', variables: { i: a.imageId }, expect: own }],
  'Mutation.deleteImage': () => [one('mutation($i: ID!) { deleteImage(id: $i) { id } }', { i: a.imageId })],
  'Query.models': () => [one('query($p: ID!) { models(productId: $p) { edges { node { id version } } } }', { p: a.productId })],
  'Query.model': () => [
    one('query($m: ID!) { model(id: $m) { version metrics trainingRuns { edges { node { id } } } evaluations { edges { node { id } } } } }', { m: a.modelId }),
    // A cursor names a row but is never looked up: one built from A's run opens nothing.
    one('query($m: ID!, $c: String) { model(id: $m) { trainingRuns(first: 1, after: $c) { edges { node { id } } } } }', {
      m: a.modelId,
      c: Buffer.from(`${new Date().toISOString()}|${a.runId}`).toString('base64url'),
    }),
  ],
  'Query.trainingRun': () => [one('query($r: ID!) { trainingRun(id: $r) { status } }', { r: a.runId })],
  'Mutation.startTraining': () => [one('mutation($p: ID!) { startTraining(productId: $p, preset: FAST) { run { id } } }', { p: a.productId })],
  'Mutation.cancelTraining': () => [one('mutation($r: ID!) { cancelTraining(runId: $r) { status } }', { r: a.runId })],
  'Mutation.setModelThreshold': () => [one('mutation($m: ID!) { setModelThreshold(id: $m, threshold: 0.25) { threshold } }', { m: a.modelId })],
  'Query.datasetSummary': () => [one('query($p: ID!) { datasetSummary(productId: $p) { trainQualified counts { count } } }', { p: a.productId })],
  'Query.reviewQueue': () => [
    { query: '{ reviewQueue(first: 100) { id imageId } }', as: 'session', expect: absent },
    one('query($p: ID!) { reviewQueue(productId: $p) { id } }', { p: a.productId }, 'session'),
  ],
  'Mutation.activateModel': () => [one('mutation($m: ID!) { activateModel(id: $m) { isActive } }', { m: a.modelId })],
  // The fleet is shared: B's admin sees it, and nothing of A's is in it; API keys may not ask.
  'Query.workers': () => [{ query: '{ workers { id backend version jobsInFlight alive } }', as: 'session', expect: absent }, one('{ workers { id } }')],
  // The operator's view: B's key and B's admin session are refused outright.
  'Query.platformWorkers': () => [one('{ platformWorkers { host } }'), one('{ platformWorkers { host } }', undefined, 'session')],
  // A's model, or B's own model with A's images: each id of A is NOT_FOUND, and nothing is queued.
  'Mutation.requestInterpolation': () => [
    one('mutation($m: ID!, $f: ID!, $t: ID!) { requestInterpolation(modelId: $m, fromImageId: $f, toImageId: $t, steps: 4) { id url } }', { m: a.modelId, f: a.imageId, t: b.imageId }),
    one('mutation($m: ID!, $f: ID!, $t: ID!) { requestInterpolation(modelId: $m, fromImageId: $f, toImageId: $t, steps: 4) { id url } }', { m: b.modelId, f: a.imageId, t: b.imageId }),
    one('mutation($m: ID!, $f: ID!, $t: ID!) { requestInterpolation(modelId: $m, fromImageId: $f, toImageId: $t) { id fromImage { url } } }', { m: b.modelId, f: b.imageId, t: a.imageId }),
  ],
  'Mutation.startEvaluation': () => [one('mutation($m: ID!) { startEvaluation(modelId: $m) { id status } }', { m: a.modelId })],
  'Subscription.trainingProgress': () => [{ ...one('subscription($r: ID!) { trainingProgress(runId: $r) { step } }', { r: a.runId }), ws: true }],
  'Subscription.inspectionProgress': () => [{ ...one('subscription($i: ID!) { inspectionProgress(inspectionId: $i) { iteration } }', { i: a.inspectionId }), ws: true }],
  'Subscription.inspectionCompleted': () => [{ ...one('subscription($p: ID) { inspectionCompleted(productId: $p) { id } }', { p: a.productId }), ws: true }],
  'Query.lots': () => [
    { query: '{ lots(first: 100) { edges { node { id name externalId } } } }', expect: absent },
    one('query($p: ID!) { lots(productId: $p) { edges { node { id } } } }', { p: a.productId }),
    { query: '{ lots(createdAfter: "2020-01-01T00:00:00Z", createdBefore: "2030-01-01T00:00:00Z", first: 100) { edges { node { id frechetDistance } } } }', expect: absent },
  ],
  'Query.lot': () => [one('query($l: ID!) { lot(id: $l) { name } }', { l: a.lotId })],
  'Mutation.createLot': () => [one('mutation($p: ID!) { createLot(productId: $p, name: "x", externalId: "SECRET-LOT-1") { id } }', { p: a.productId })],
  'Mutation.closeLot': () => [one('mutation($l: ID!) { closeLot(id: $l) { status } }', { l: a.lotId })],
  'Query.factory': () => [{ query: '{ factory { id name slug settings } }', expect: absent }],
  // B's own counts only: A's image, training and inspection are not in them (checked below).
  'Query.factoryUsage': () => [
    { query: '{ factoryUsage { storedImages { used limit } concurrentTrainingRuns { used } inspectionsPerMinute { used } } }', as: 'session', expect: own },
  ],
  'Mutation.updateFactory': () => [{ query: 'mutation { updateFactory(name: "Beta Plant 2") { id name } }', as: 'session', expect: own }],
  'Mutation.setInspectionRetention': () => [{ query: 'mutation { setInspectionRetention(days: 30) { id inspectionRetentionDays } }', as: 'session', expect: own }],
  'Query.inspection': () => [one('query($i: ID!) { inspection(id: $i) { status image { sha256 } } }', { i: a.inspectionId })],
  'Query.inspections': () => [
    { query: '{ inspections(first: 100) { edges { node { id imageId idempotencyKey } } } }', expect: absent },
    one('query($p: ID!) { inspections(filter: { productId: $p }) { edges { node { id } } } }', { p: a.productId }),
  ],
  'Query.defectTrends': () => [
    one('query($p: ID!) { defectTrends(from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z", bucket: WEEK, productId: $p) { total } }', { p: a.productId }),
    { query: '{ defectTrends(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", bucket: WEEK) { total } }', expect: absent },
    { query: '{ defectTrends(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", bucket: DAY, timeZone: "Asia/Kolkata") { total } }', expect: absent },
    one('query($d: ID!) { defectTrends(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", bucket: WEEK, defectTypeId: $d) { total } }', { d: a.defectTypeId }),
    { query: '{ defectTrends(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", bucket: DAY, station: "S1") { total } }', expect: absent },
  ],
  'Query.defectBreakdown': () => [
    one('query($p: ID!) { defectBreakdown(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", groupBy: STATION, productId: $p) { key } }', { p: a.productId }),
    { query: '{ defectBreakdown(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", groupBy: PRODUCT) { key total } }', expect: absent },
  ],
  'Query.scoreDistribution': () => [
    one('query($p: ID!) { scoreDistribution(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", productId: $p) { pass } }', { p: a.productId }),
  ],
  'Mutation.submitInspection': () => [one('mutation($i: ID!) { submitInspection(input: { imageId: $i, idempotencyKey: "shared-key-1" }) { inspection { id } } }', { i: a.imageId })],
  'Mutation.reviewInspection': () => [one('mutation($i: ID!) { reviewInspection(id: $i, verdict: PASS) { id } }', { i: a.inspectionId }, 'session')],
};

// Everything of A's that B must never see (ids B sends itself are allowed back in messages).
function secretsOfA(): string[] {
  return [A.factoryId, 'Alpha Secret Works', 'Secret Widget', 'secret-widget', 'secret crack', A.adminEmail, 'secret.engineer@a.example', a.sha256, a.productId, a.defectTypeId, a.modelId, a.runId, a.lotId, 'secret lot', 'SECRET-LOT-1', a.imageId, a.inspectionId, A.apiKeyId, a.memberId, A.adminUserId];
}

function leaks(res: GqlResponse, sent: Record<string, unknown> = {}): string[] {
  const body = JSON.stringify(res.json);
  const allowed = new Set(Object.values(sent).map(String));
  return secretsOfA().filter((s) => !allowed.has(s) && body.includes(s));
}

describe('tenant isolation', () => {
  it('has an isolation case for every operation of the schema', () => {
    expect(Object.keys(cases).sort()).toEqual(listOperations(buildSchema()).sort());
  });

  it.each(Object.keys(cases))('%s: factory B cannot reach or see factory A', async (operation) => {
    for (const attack of cases[operation]!()) {
      const auth: Auth = { token: attack.as === 'session' ? bSession : B.keyToken };
      const res = attack.ws ? await viaWebSocket(auth.token!, attack.query, attack.variables) : await t.gql(attack.query, attack.variables, auth);
      expect(leaks(res, attack.variables), `${operation} leaked`).toEqual([]);
      if (attack.expect === 'DENIED') {
        expect(res.json.errors?.[0]?.extensions?.code, `${operation}: ${JSON.stringify(res.json)}`).toMatch(/^(NOT_FOUND|FORBIDDEN)$/);
        expect(res.json.data ?? null, operation).toBeNull();
      } else {
        expect(res.json.errors, `${operation}: ${JSON.stringify(res.json.errors)}`).toBeUndefined();
      }
    }
  });

  it("counts only B's own rows in B's quota usage", async () => {
    const res = await t.gql('{ factoryUsage { storedImages { used } concurrentTrainingRuns { used } inspectionsPerMinute { used } } }', {}, { token: bSession });
    // B stored one image of its own (setup) and A has images too: counting A's would show more than 1.
    const images = (factoryId: string) => t.database.db.image.count({ where: { factoryId } });
    expect(await images(B.factoryId)).toBe(1);
    expect(await images(A.factoryId)).toBeGreaterThanOrEqual(1);
    expect(res.json.data.factoryUsage).toEqual({ storedImages: { used: 1 }, concurrentTrainingRuns: { used: 0 }, inspectionsPerMinute: { used: 0 } });
  });

  it('refuses every factory operation when B asks to act for A with its own credentials', async () => {
    for (const token of [bSession, B.keyToken]) {
      const res = await t.gql('{ products { edges { node { id } } } }', {}, { token, factoryId: A.factoryId });
      expect(res.status).toBe(403);
      expect(res.json.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      expect(res.json.data).toBeUndefined();
    }
  });

  it('left everything of A exactly as it was', async () => {
    // B changing its password and signing out touches only B's sessions.
    await t.gql('mutation { changePassword(currentPassword: "correct horse battery staple", newPassword: "another long password") }', {}, { token: bSession });
    expect((await t.gql('mutation { logout }', {}, { token: bSession })).json.data).toEqual({ logout: true });
    const auth = { token: a.session };
    const product = await t.gql('query($p: ID!) { product(id: $p) { name archived } defectType(id: "' + a.defectTypeId + '") { name } }', { p: a.productId }, auth);
    expect(product.json.data).toEqual({ product: { name: 'Secret Widget', archived: false }, defectType: { name: 'secret crack' } });
    const image = await t.gql('query($i: ID!) { image(id: $i) { label split } }', { i: a.imageId }, auth);
    expect(image.json.data!.image).toEqual({ label: 'UNLABELED', split: 'NONE' });
    const inspection = await t.gql('query($i: ID!) { inspection(id: $i) { reviewVerdict } }', { i: a.inspectionId }, auth);
    expect(inspection.json.data!.inspection.reviewVerdict).toBeNull();
    const members = await t.gql('{ members { edges { node { email role } } } apiKeys { edges { node { id revokedAt } } } }', {}, auth);
    expect(members.json.data!.members.edges).toEqual(expect.arrayContaining([{ node: { email: 'secret.engineer@a.example', role: 'ENGINEER' } }]));
    expect(members.json.data!.members.edges).toHaveLength(2);
    expect(members.json.data!.apiKeys.edges).toEqual([{ node: { id: A.apiKeyId, revokedAt: null } }]);
    expect(await t.blobs.exists(a.uploadKey)).toBe(true);
    const lotAndFactory = await t.gql('query($l: ID!) { lot(id: $l) { status } factory { name } }', { l: a.lotId }, auth);
    expect(lotAndFactory.json.data).toEqual({ lot: { status: 'OPEN' }, factory: { name: 'Alpha Secret Works' } });
    const run = await t.gql('query($r: ID!) { trainingRun(id: $r) { status } }', { r: a.runId }, auth);
    expect(run.json.data!.trainingRun.status).toBe('QUEUED');
    const model = await t.gql('query($m: ID!) { model(id: $m) { threshold isActive } }', { m: a.modelId }, auth);
    expect(model.json.data!.model).toEqual({ threshold: 1, isActive: true });
    expect(await t.database.db.inspection.count({ where: { factoryId: A.factoryId } })).toBe(1);
    expect(await t.database.db.evaluation.count({ where: { factoryId: A.factoryId } })).toBe(0);
    expect(await t.database.db.latentInterpolation.count()).toBe(0);
  });
});
