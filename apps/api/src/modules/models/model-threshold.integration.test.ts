import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvaluation, createModel, recordEvaluationResult, updateModel } from '@gansight/db';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';

// The threshold what-if: an evaluation's per-image scores are readable, and an engineer saves a
// new threshold on the model, which is audited.
let t: TestApi;
let acme: TestFactory;
let other: TestFactory;
let admin: string;
let engineer: string;
let manager: string;
let modelId: string;
let otherModelId: string;
let evaluationId: string;

const SET = 'mutation($id: ID!, $t: Float!) { setModelThreshold(id: $id, threshold: $t) { id threshold } }';

async function readyModel(f: TestFactory, token: string) {
  const product = await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token });
  const model = await createModel(t.database.db, f.factoryId, { productId: product.json.data!.createProduct.id });
  await updateModel(t.database.db, f.factoryId, model.id, { status: 'READY', threshold: 2, scoreNormalisation: { threshold: 2, min: 0, max: 4 } });
  return model.id;
}

beforeAll(async () => {
  t = await startTestApi();
  acme = await t.createFactory('Acme Tiles');
  other = await t.createFactory('Other Works');
  admin = await t.login(acme.adminEmail);
  const invite = async (email: string, role: string) => {
    const res = await t.gql('mutation($e: String!, $r: Role!) { inviteMember(email: $e, role: $r) { temporaryPassword } }', { e: email, r: role }, { token: admin });
    return t.login(email, res.json.data!.inviteMember.temporaryPassword);
  };
  engineer = await invite('eve@acme.example', 'ENGINEER');
  manager = await invite('mia@acme.example', 'MANAGER');
  modelId = await readyModel(acme, admin);
  otherModelId = await readyModel(other, await t.login(other.adminEmail));
  const evaluation = await createEvaluation(t.database.db, acme.factoryId, { modelId });
  evaluationId = evaluation.id;
  await recordEvaluationResult(t.database.db, acme.factoryId, evaluation.id, {
    status: 'SUCCEEDED', metrics: { auroc: 1 }, completedAt: new Date(),
    scores: [
      { imageId: 'img-good', defective: false, defectTypeId: null, score: 0.7 },
      { imageId: 'img-bad', defective: true, defectTypeId: 'crack', score: 3.1 },
    ],
  });
});
afterAll(() => t.stop());

describe('threshold what-if', () => {
  it("reads an evaluation's per-image scores on the model card", async () => {
    const res = await t.gql('query($id: ID!) { model(id: $id) { threshold evaluations { edges { node { id scores { imageId defective defectTypeId score } } } } } }', { id: modelId }, { token: manager });
    expect(res.json.data!.model.threshold).toBe(2);
    expect(res.json.data!.model.evaluations.edges[0].node).toEqual({
      id: evaluationId,
      scores: [
        { imageId: 'img-good', defective: false, defectTypeId: null, score: 0.7 },
        { imageId: 'img-bad', defective: true, defectTypeId: 'crack', score: 3.1 },
      ],
    });
  });

  it('lets an engineer save a threshold, widening the normalisation to include it, and audits it', async () => {
    const res = await t.gql(SET, { id: modelId, t: 5.5 }, { token: engineer });
    expect(res.json.data!.setModelThreshold).toEqual({ id: modelId, threshold: 5.5 });
    const row = await t.database.db.model.findUniqueOrThrow({ where: { id: modelId } });
    expect(row.scoreNormalisation).toEqual({ threshold: 5.5, min: 0, max: 5.5 });
    const log = await t.gql('{ auditLog(action: "setModelThreshold") { edges { node { action targetId details } } } }', {}, { token: admin });
    expect(log.json.data!.auditLog.edges).toHaveLength(1);
    expect(log.json.data!.auditLog.edges[0].node).toMatchObject({ action: 'setModelThreshold' });
  });

  it('refuses managers, another factory\'s model, models without a calibration and non-numbers', async () => {
    expect(errorCode(await t.gql(SET, { id: modelId, t: 1 }, { token: manager }))).toBe('FORBIDDEN');
    expect(errorCode(await t.gql(SET, { id: otherModelId, t: 1 }, { token: engineer }))).toBe('NOT_FOUND');
    await updateModel(t.database.db, acme.factoryId, modelId, { status: 'TRAINING' });
    expect(errorCode(await t.gql(SET, { id: modelId, t: 1 }, { token: engineer }))).toBe('BAD_USER_INPUT');
    await updateModel(t.database.db, acme.factoryId, modelId, { status: 'READY' });
    expect(errorCode(await t.gql(SET, { id: modelId, t: 'high' }, { token: engineer }))).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect((await t.database.db.model.findUniqueOrThrow({ where: { id: modelId } })).threshold).toBe(5.5);
  });
});
