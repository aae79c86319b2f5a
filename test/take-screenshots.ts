// Saves a screenshot of each main dashboard page to docs/screenshots/ (shown in the README):
// starts the stack as `npm start` does on a fresh data folder, makes a factory with data through
// the API (a tiny real training, line inspections, an evaluation, a closed lot) and photographs
// the pages in headless Chromium. `npm run screenshots`.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CloseLotDocument, CreateLotDocument, ModelCardDocument, StartEvaluationDocument } from '@gansight/client';
import { freePort, startStack } from '@gansight/cli';
import { loadConfig } from '@gansight/config';
import { launchBrowser } from './support/browser';
import { newDashboardPage, signInThroughForm } from './support/dashboard-page';
import { inspectImages, productWithActiveModel, signIn, texturePng, uploadImages } from './support/dashboard-seed';
import { repoRoot, runCli } from './support/run-cli';

const OUT = path.join(repoRoot, 'docs', 'screenshots');
const PASSWORD = 'a long password';
const EMAIL = 'ops@acme.example';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gansight-screens-'));
const env = { GANSIGHT_DATA_DIR: dataDir, API_PORT: String(await freePort()), WEB_PORT: String(await freePort()), ML_BACKEND: 'wasm' };
const stack = await startStack(loadConfig(env), () => undefined);
try {
  const created = await runCli(['factory', 'create', '--name', 'Acme Tiles', '--admin-email', EMAIL, '--admin-password', PASSWORD], env);
  const { factoryId } = JSON.parse(created.stdout) as { factoryId: string };
  const api = await signIn(stack.api.url, EMAIL, PASSWORD, factoryId);
  console.log('training a tiny model…');
  const { productId, modelId } = await productWithActiveModel(api, 'Magnetic tile');
  const { createLot } = await api.request(CreateLotDocument, { productId, name: 'Lot 2026-12-07 A' });
  console.log('inspecting…');
  await inspectImages(api, productId, { count: 12, defectEvery: 4, line: 'L1', station: 'S1', lotId: createLot.id });
  await inspectImages(api, productId, { count: 8, defectEvery: 3, seed: 3000, line: 'L2', station: 'S2' });
  await api.request(CloseLotDocument, { id: createLot.id });
  await uploadImages(api, productId, 6, (i) => texturePng(300 + i, 16), { label: 'QUALIFIED', split: 'TEST' });
  await uploadImages(api, productId, 6, (i) => texturePng(400 + i, 16, i % 2 ? 'spot' : 'scratch'), { label: 'DEFECTIVE', split: 'TEST' });
  await api.request(StartEvaluationDocument, { modelId });
  for (let i = 0; i < 240; i++) {
    const { model } = await api.request(ModelCardDocument, { id: modelId });
    const status = model.evaluations.edges[0]?.node.status;
    if (status === 'SUCCEEDED' || status === 'FAILED') break;
    await new Promise((r) => setTimeout(r, 1000));
  }

  const browser = await launchBrowser();
  const page = await newDashboardPage(browser);
  await signInThroughForm(page, stack.web!.url, EMAIL, PASSWORD);
  await mkdir(OUT, { recursive: true });
  const f = `${stack.web!.url}/f/${factoryId}`;
  const firstInspection = (await inspectImages(api, productId, { count: 1, seed: 77, line: 'L1', station: 'S1' }))[0]!;
  const pages: Array<[string, string, string]> = [
    ['overview', `${f}?range=24h`, 'defect-rate-chart'],
    ['inspections', `${f}/inspections`, 'inspection-scroller'],
    ['inspection', `${f}/inspections/${firstInspection.id}`, 'heat-map'],
    ['dataset', `${f}/products/${productId}`, 'image-grid'],
    ['model-card', `${f}/models/${modelId}`, 'roc-chart'],
    ['threshold', `${f}/models/${modelId}/threshold`, 'threshold-histogram'],
    ['review', `${f}/review`, ''],
    ['lots', `${f}/lots`, ''],
    ['settings', `${f}/settings`, ''],
  ];
  for (const [name, url, testId] of pages) {
    await page.goto(url);
    if (testId) await page.getByTestId(testId).first().waitFor();
    await page.waitForTimeout(1500); // images and charts settle
    await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
    console.log(`docs/screenshots/${name}.png`);
  }
  await browser.close();
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
