// Data for the dashboard's browser tests and screenshots, made through the API as a user would
// (never the database): products, images, a tiny real training, inspections, lots.
import { floatImageToPng } from '@gansight/imaging';
import {
  ActivateModelDocument,
  CreateProductDocument,
  LoginDocument,
  ModelDocument,
  StartTrainingDocument,
  createGansightClient,
  inspectImage,
  uploadImage,
  waitForInspections,
  type Inspection,
  type GansightClient,
  type ImageFactsInput,
} from '@gansight/client';

/** A smooth texture (a qualified part) as a grayscale PNG; `defect` adds a bright spot or a scratch. */
export async function texturePng(seed: number, size: number, defect?: 'spot' | 'scratch'): Promise<Buffer> {
  const data = new Float32Array(size * size);
  const fx = 1 + (seed % 3);
  const fy = 1 + ((seed * 7) % 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) data[y * size + x] = 0.8 * Math.sin((x * fx + seed) / 5) * Math.cos((y * fy) / 6);
  }
  const at = 2 + (seed % Math.max(1, size - 8));
  const side = Math.max(3, Math.floor(size / 5));
  if (defect === 'spot') for (let y = at; y < Math.min(size, at + side); y++) for (let x = at; x < Math.min(size, at + side); x++) data[y * size + x] = 1;
  if (defect === 'scratch') for (let x = 1; x < size - 1; x++) data[Math.min(size - 1, at) * size + x] = -1;
  return floatImageToPng({ width: size, height: size, channels: 1, data });
}

/** A client signed in as a user (bearer session token) acting for one factory. */
export async function signIn(apiUrl: string, email: string, password: string, factoryId: string): Promise<GansightClient> {
  const { login } = await createGansightClient({ url: apiUrl }).request(LoginDocument, { email, password });
  return createGansightClient({ url: apiUrl, token: login.token, factoryId });
}

/** Uploads `count` images made by `make` with the same facts; returns their ids. */
export async function uploadImages(
  client: GansightClient, productId: string, count: number, make: (i: number) => Promise<Buffer>, facts: ImageFactsInput,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { image } = await uploadImage(client, { productId, bytes: await make(i), facts });
    ids.push(image.id);
  }
  return ids;
}

/** The smallest real training the API accepts settings for, on 16-pixel images: seconds on two cores. */
export const TINY_TRAINING = { steps: 4, batchSize: 4, latentDim: 8, encoderSteps: 0, seed: 3 };

/**
 * A product with 8 qualified TRAIN images, 8 VALIDATION ones for calibration (the least the worker calibrates on), a tiny model
 * trained by the stack's worker and activated. Returns when the model is active.
 */
export async function productWithActiveModel(client: GansightClient, name: string, o: { timeoutMs?: number } = {}): Promise<{ productId: string; modelId: string }> {
  const { createProduct } = await client.request(CreateProductDocument, { input: { name, imageSize: 16, channels: 1 } });
  const productId = createProduct.id;
  await uploadImages(client, productId, 8, (i) => texturePng(i, 16), { label: 'QUALIFIED', split: 'TRAIN' });
  await uploadImages(client, productId, 8, (i) => texturePng(50 + i, 16), { label: 'QUALIFIED', split: 'VALIDATION' });
  const { startTraining } = await client.request(StartTrainingDocument, { productId, hyperParameters: TINY_TRAINING });
  const modelId = startTraining.model.id;
  const deadline = Date.now() + (o.timeoutMs ?? 180_000);
  for (;;) {
    const { model } = await client.request(ModelDocument, { id: modelId });
    if (model.status === 'READY') break;
    if (model.status === 'FAILED' || model.status === 'CANCELLED') throw new Error(`Tiny training ended ${model.status}: ${model.error}`);
    if (Date.now() > deadline) throw new Error(`Tiny training still ${model.status} after ${o.timeoutMs ?? 180_000} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
  await client.request(ActivateModelDocument, { id: modelId });
  return { productId, modelId };
}

/**
 * Inspects `count` new images of the product from the line (every `defectEvery`-th with a bright
 * spot) and waits for the verdicts, reading (not subscribing) so it works from any test.
 */
export async function inspectImages(
  client: GansightClient,
  productId: string,
  o: { count: number; defectEvery?: number; seed?: number; line?: string; station?: string; lotId?: string },
): Promise<Inspection[]> {
  const ids: string[] = [];
  for (let i = 0; i < o.count; i++) {
    const seed = (o.seed ?? 1000) + i;
    const defective = o.defectEvery ? i % o.defectEvery === 0 : false;
    const { inspection } = await inspectImage(client, {
      productId, bytes: await texturePng(seed, 16, defective ? 'spot' : undefined),
      facts: { source: 'LINE', line: o.line, station: o.station }, line: o.line, station: o.station, lotId: o.lotId,
    });
    ids.push(inspection.id);
  }
  return waitForInspections(client, ids, { mode: 'poll', pollIntervalMs: 300, timeoutMs: 120_000 });
}
