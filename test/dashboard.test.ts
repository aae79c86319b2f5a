import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CloseLotDocument, CreateLotDocument, CreateProductDocument, InviteMemberWithPasswordDocument, ModelCardDocument, ProductDocument, inspectImage, type GansightClient } from '@gansight/client';
import { freePort, startStack, type RunningStack } from '@gansight/cli';
import { loadConfig } from '@gansight/config';
import { launchBrowser } from './support/browser';
import { newDashboardPage, saveFailureShot, signInThroughForm } from './support/dashboard-page';
import { inspectImages, signIn, texturePng, uploadImages } from './support/dashboard-seed';
import { runCli } from './support/run-cli';

// The dashboard as people use it, in headless Chromium against the stack `npm start` runs
// (embedded PostgreSQL, API, in-process worker, next dev): an admin of two factories signs in,
// creates a product, uploads images, trains a tiny real model and activates it, watches
// inspections arrive live, opens a heat map, reviews, moves the threshold, sees the overview
// change, switches factory and sees nothing of the other; a viewer sees no admin actions.
// The line's images arrive through the API as an integration would send them.
const PASSWORD = 'a long password';
const ADMIN = 'ops@acme.example';
const VIEWER = 'vic@acme.example';

let dataDir: string;
let stack: RunningStack;
let browser: Browser;
let page: Page;
let webUrl: string;
let acmeId: string;
let betaId: string;
let line: GansightClient;
let productId: string;
let modelId: string;
let viewerPassword: string;

async function createFactory(env: Record<string, string>, name: string): Promise<string> {
  const created = await runCli(['factory', 'create', '--name', name, '--admin-email', ADMIN, '--admin-password', PASSWORD], env);
  expect(created.code, created.stderr).toBe(0);
  return (JSON.parse(created.stdout) as { factoryId: string }).factoryId;
}

const png = async (name: string, seed: number, defect?: 'spot') => ({ name, mimeType: 'image/png', buffer: await texturePng(seed, 16, defect) });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gansight-dashboard-'));
  const env = {
    GANSIGHT_DATA_DIR: dataDir,
    API_PORT: String(await freePort()),
    WEB_PORT: String(await freePort()),
    // wasm trains the tiny model in seconds where the plain cpu backend takes minutes.
    ML_BACKEND: 'wasm',
    WORKER_PROGRESS_INTERVAL_MS: '100',
  };
  stack = await startStack(loadConfig(env), () => undefined);
  webUrl = stack.web!.url;
  acmeId = await createFactory(env, 'Acme Tiles');
  betaId = await createFactory(env, 'Beta Cells');
  const beta = await signIn(stack.api.url, ADMIN, PASSWORD, betaId);
  await beta.request(CreateProductDocument, { input: { name: 'Beta secret product', imageSize: 16, channels: 1 } });
  line = await signIn(stack.api.url, ADMIN, PASSWORD, acmeId);
  const invited = await line.request(InviteMemberWithPasswordDocument, { email: VIEWER, role: 'VIEWER' });
  viewerPassword = invited.inviteMember.temporaryPassword;
  browser = await launchBrowser();
  page = await newDashboardPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(({ task, onTestFailed }) => {
  onTestFailed(() => saveFailureShot(page, task.name));
});

describe('the dashboard in a browser', () => {
  it('signs in, lists both factories of the user and opens one at the overview', async () => {
    await page.goto(`${webUrl}/`);
    await page.waitForURL(/\/login/);
    await signInThroughForm(page, webUrl, ADMIN, PASSWORD);
    await page.getByRole('heading', { name: 'Your factories' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'Beta Cells' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Acme Tiles' }).click();
    await page.waitForURL(`${webUrl}/f/${acmeId}`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Overview', 'Inspections', 'Review', 'Lots', 'Products', 'Settings']);
  });

  it('cannot send the sign-in form before the page is interactive (no password in a URL)', async () => {
    // Before React takes over the served HTML, a native submit would GET /login?password=...
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const plain = await context.newPage();
      await plain.goto(`${webUrl}/login`);
      expect(await plain.getByRole('button', { name: 'Sign in' }).isDisabled()).toBe(true);
      expect(await plain.getByRole('form', { name: 'Sign in' }).getAttribute('method')).toBe('post');
    } finally {
      await context.close();
    }
  });

  it('creates a product and uploads images, each file with its own result', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products' }).click();
    await page.getByRole('button', { name: 'New product' }).click();
    const form = page.getByRole('form', { name: 'Create product' });
    await form.getByLabel('Name').fill('Tile T1');
    // New products start as patch models (the recommended one); these 16-px images need the paper's.
    expect(await form.getByLabel('Model kind').inputValue()).toBe('PATCH');
    await form.getByLabel('Model kind').selectOption('WHOLE');
    await form.getByLabel('Image size (pixels)').selectOption('16');
    await form.getByRole('button', { name: 'Create product' }).click();
    await page.waitForURL(/\/products\/[^/]+$/);
    productId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: 'Tile T1' }).waitFor();

    const upload = page.getByRole('region', { name: 'Upload images' });
    const train = await Promise.all(Array.from({ length: 8 }, (_, i) => png(`good-${i}.png`, i)));
    await upload.getByTestId('upload-input').setInputFiles([
      ...train,
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image at all') },
      { ...train[0]!, name: 'good-0-again.png' },
    ]);
    await expect.poll(() => upload.getByTestId('upload-summary').textContent(), { timeout: 60_000 }).toBe('8 added, 1 duplicates, 1 refused');
    await expect.poll(() => upload.getByText('Not an image').count()).toBe(1);
    await expect.poll(() => page.getByTestId('ready-to-train').textContent()).toBe('not ready to train');

    await upload.getByLabel('Split').selectOption('VALIDATION');
    await upload.getByTestId('upload-input').setInputFiles(await Promise.all(Array.from({ length: 8 }, (_, i) => png(`val-${i}.png`, 50 + i))));
    await expect.poll(() => page.getByTestId('ready-to-train').textContent(), { timeout: 60_000 }).toBe('ready to train');
    const counts = page.getByRole('table', { name: 'Image counts' });
    expect(await counts.getByRole('row', { name: /qualified/ }).getByRole('cell').allTextContents()).toEqual(['8', '8', '0', '0']);
    await expect.poll(() => page.getByTestId('image-grid').getByRole('button').count()).toBe(16);
  });

  it('takes a 10 MB image dropped on the upload area, with its own progress bar', async () => {
    const upload = page.getByRole('region', { name: 'Upload images' });
    await upload.getByLabel('Label').selectOption('UNLABELED');
    await upload.getByLabel('Split').selectOption('NONE');
    // Record the file's progress bar as it changes: on loopback the upload may take a moment only.
    await page.evaluate(() => {
      const w = window as unknown as { progressSeen: number[] };
      w.progressSeen = [];
      new MutationObserver(() => {
        const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="Upload of big-scan.png"]');
        if (bar && bar.value > 0) w.progressSeen.push(bar.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    // A real PNG of noise (incompressible), made in the page and dropped as a person would.
    const dataTransfer = await page.evaluateHandle(async () => {
      const canvas = Object.assign(document.createElement('canvas'), { width: 1900, height: 1800 });
      const ctx = canvas.getContext('2d')!;
      const pixels = ctx.createImageData(canvas.width, canvas.height);
      for (let i = 0; i < pixels.data.length; i += 65536) crypto.getRandomValues(pixels.data.subarray(i, i + 65536));
      for (let i = 3; i < pixels.data.length; i += 4) pixels.data[i] = 255;
      ctx.putImageData(pixels, 0, 0);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      const dt = new DataTransfer();
      dt.items.add(new File([blob], 'big-scan.png', { type: 'image/png' }));
      return dt;
    });
    const size = await dataTransfer.evaluate((dt) => dt.files[0]!.size);
    expect(size).toBeGreaterThan(10_000_000);
    await upload.locator('.drop-zone').dispatchEvent('drop', { dataTransfer });
    const row = upload.getByRole('listitem').filter({ hasText: 'big-scan.png' });
    await expect.poll(() => row.locator('.status').textContent(), { timeout: 90_000 }).toBe('added');
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(size);
    await upload.getByLabel('Label').selectOption('QUALIFIED');
    await upload.getByLabel('Split').selectOption('TRAIN');
  });

  it('trains a model with live progress, then activates it after a confirmation', async () => {
    await page.getByRole('navigation', { name: 'Product' }).getByRole('link', { name: 'Models' }).click();
    const form = page.getByRole('form', { name: 'Start training' });
    await form.getByText('Advanced settings').click();
    // The smallest real training the API takes settings for: seconds on wasm.
    for (const [k, v] of Object.entries({ steps: '20', batchSize: '4', latentDim: '8', encoderSteps: '0', seed: '3' })) await form.getByLabel(k, { exact: true }).fill(v);
    await form.getByRole('button', { name: 'Start training' }).click();
    await page.waitForURL(/\/models\/[^/]+$/);
    modelId = page.url().split('/').pop()!;
    // Progress moves: the step counter leaves 0 (after the last step the run calibrates, still live).
    await expect.poll(() => page.getByTestId('training-step').textContent().catch(() => 'gone'), { timeout: 120_000 }).toMatch(/^step ([1-9]\d*) of 20$/);
    await page.locator('h1 .pill', { hasText: 'ready' }).waitFor({ timeout: 180_000 });
    await page.getByTestId('tsne-chart').waitFor();
    // The finished card shows the generator's sample grids: the last one, and earlier ones by slider.
    const grid = page.getByTestId('sample-grid-image');
    await expect.poll(() => grid.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const lastStep = await page.getByTestId('sample-grid-step').textContent();
    expect(Number(lastStep)).toBeGreaterThan(0);
    await page.getByRole('slider', { name: 'Sample grid' }).fill('0');
    await expect.poll(() => page.getByTestId('sample-grid-step').textContent()).not.toBe(lastStep);
    await expect.poll(() => grid.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await page.getByRole('button', { name: 'Activate' }).click();
    const dialog = page.getByRole('dialog', { name: /Activate v1/ });
    await dialog.getByRole('button', { name: 'Activate' }).click();
    await page.locator('h1 .pill', { hasText: 'active' }).waitFor();
  });

  it('draws a latent interpolation strip between two of the product\'s images on the model card', async () => {
    const section = page.getByRole('region', { name: 'Latent interpolation' });
    await section.getByText('No interpolations yet').waitFor();
    // Two qualified images chosen by hand (earlier tests also uploaded unlabelled ones).
    const from = section.getByLabel('From image');
    const qualifiedIds = () => from.locator('option', { hasText: /^qualified/ }).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    await expect.poll(async () => (await qualifiedIds()).length).toBeGreaterThanOrEqual(2);
    const [fromId, toId] = await qualifiedIds();
    await from.selectOption(fromId!);
    await section.getByLabel('To image').selectOption(toId!);
    await section.getByLabel('Frames').selectOption('4');
    await section.getByRole('button', { name: 'Interpolate' }).click();
    const strip = section.getByTestId('interpolation-strip-image');
    await strip.waitFor({ timeout: 120_000 });
    await expect.poll(() => strip.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await strip.getAttribute('alt')).toMatch(new RegExp(`^Latent interpolation from qualified · \\w+ · …${fromId!.slice(-6)} to qualified · \\w+ · …${toId!.slice(-6)}`));
  });

  it("sets the product's model in its settings: checked beside the field, refused by the API while its images are too small", async () => {
    const settings = async () => (await line.request(ProductDocument, { id: productId })).product;
    await page.goto(`${webUrl}/f/${acmeId}/products/${productId}/settings`);
    const form = page.getByRole('form', { name: 'Save settings' });
    const model = form.getByLabel('Model kind');
    expect(await model.inputValue()).toBe('WHOLE');
    await model.selectOption('PATCH');
    await form.getByLabel('Working scale').fill('0');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('A working scale above 0 and at most 1').waitFor();
    // Quarter scale with 32-px tiles takes images of 64 px or more; the product's are 16 px.
    await form.getByLabel('Working scale').fill('0.25');
    await form.getByLabel('Tile size (pixels)').selectOption('32');
    expect(await form.getByTestId('patch-help').textContent()).toContain('at least 64 px');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/image\(s\) of this product are smaller than 64 px/);
    expect((await settings()).modelSettings.kind).toBe('WHOLE');
    // Full size with 32-px tiles takes 16-px images: saved, and said on the product list.
    await form.getByLabel('Working scale').fill('1');
    await form.getByLabel('Parts may be mirrored').uncheck();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(async () => (await settings()).modelSettings).toEqual({ kind: 'PATCH', scale: 1, patchSize: 32, defectMap: true, flips: false });
    await page.goto(`${webUrl}/f/${acmeId}/products`);
    await page.getByText('Patch model: images at full size, 32-px tiles, grayscale, learned defect map').waitFor();
    // Back to the paper's model, which the rest of this file trains in seconds.
    await page.goto(`${webUrl}/f/${acmeId}/products/${productId}/settings`);
    await form.getByLabel('Model kind').selectOption('WHOLE');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(async () => (await settings()).modelSettings.kind).toBe('WHOLE');
    expect((await settings()).imageSize).toBe(16);
  });

  it('cancels a running training, which stops, and compares two versions', async () => {
    await page.goto(`${webUrl}/f/${acmeId}/products/${productId}/models`);
    const form = page.getByRole('form', { name: 'Start training' });
    await form.getByText('Advanced settings').click();
    for (const [k, v] of Object.entries({ steps: '200000', batchSize: '4', latentDim: '8', encoderSteps: '0' })) await form.getByLabel(k, { exact: true }).fill(v);
    await form.getByRole('button', { name: 'Start training' }).click();
    await page.waitForURL((u) => u.pathname.includes('/models/') && !u.pathname.endsWith(modelId));
    await expect.poll(() => page.getByTestId('training-step').textContent().catch(() => ''), { timeout: 120_000 }).toMatch(/^step [1-9]\d* of 200000$/);
    await page.getByRole('button', { name: 'Cancel training' }).click();
    await page.locator('h1 .pill', { hasText: 'cancelled' }).waitFor();
    // The worker really stopped: once it noticed (it polls the run's status every 500 ms), its step no longer moves.
    await new Promise((r) => setTimeout(r, 1500));
    const run = await line.request(ModelCardDocument, { id: page.url().split('/').pop()! });
    const stoppedAt = run.model.trainingRuns.edges[0]!.node.step;
    await new Promise((r) => setTimeout(r, 3000));
    const later = await line.request(ModelCardDocument, { id: run.model.id });
    expect(later.model.trainingRuns.edges[0]!.node).toMatchObject({ status: 'CANCELLED', step: stoppedAt });

    await page.goto(`${webUrl}/f/${acmeId}/products/${productId}/models`);
    await page.getByLabel('Compare v1').check();
    await page.getByLabel('Compare v2').check();
    await page.getByRole('link', { name: 'Compare the two' }).click();
    const table = page.getByRole('table', { name: 'Versions side by side' });
    await expect.poll(() => table.getByRole('row', { name: /Status/ }).textContent()).toMatch(/ready \(active\).*cancelled/);
  });

  it('shows inspections from the line as they arrive, and one with its verdict and heat map', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inspections' }).click();
    await page.getByText('No inspections match').waitFor();
    await expect.poll(() => page.locator('.live-dot.on').count()).toBe(1);
    const judged = await inspectImages(line, productId, { count: 6, defectEvery: 3, line: 'L1', station: 'S1' });
    expect(judged.every((i) => i.status === 'DONE')).toBe(true);
    // Live: the rows come by subscription, the page is not reloaded.
    await expect.poll(() => page.getByTestId('inspection-scroller').getByRole('row').count(), { timeout: 30_000 }).toBe(6);
    await page.getByTestId('inspection-scroller').getByRole('row').first().getByRole('link').click();
    await page.getByRole('heading', { name: /Inspection/ }).waitFor();
    expect(await page.locator('h1 .pill').first().textContent()).toMatch(/^(PASS|FAIL)$/);
    await expect.poll(() => page.getByTestId('heat-map').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await page.getByLabel('Heat map opacity').fill('0.8');
    await page.getByText('80%').waitFor();
    expect(await page.getByTestId('score-marker').count()).toBe(1);
    await page.getByRole('button', { name: /^Overturn to/ }).click();
    await page.getByText(/^Reviewed: (PASS|FAIL)$/).waitFor();
  });

  it('shows the defect rate on the overview, and the chart changes with new inspections', async () => {
    await page.goto(`${webUrl}/f/${acmeId}?range=24h`);
    await expect.poll(() => page.getByTestId('kpi-total').textContent()).toBe('6');
    expect(Number(await page.getByTestId('defect-rate-chart').getAttribute('data-points'))).toBeGreaterThan(0);
    await inspectImages(line, productId, { count: 2, seed: 2000, line: 'L2', station: 'S1' });
    await page.reload();
    await expect.poll(() => page.getByTestId('kpi-total').textContent()).toBe('8');
    await expect.poll(() => page.getByRole('table', { name: 'Defect rate by line' }).getByRole('row').count()).toBe(3);
    // A point opens the inspections of that product and bucket (the chart's points as a table, for keyboards).
    await page.getByText('Points as a table').click();
    // The 8 inspections lie in one hourly bucket, or in two when the test runs across the hour:
    // the buckets add up to 8, and a bucket's link opens exactly the inspections it counted.
    const buckets = page.getByRole('table', { name: 'Defect rate per bucket' }).locator('tbody tr');
    const judged = async () => (await buckets.locator('td:nth-child(3)').allTextContents()).map(Number);
    expect((await judged()).reduce((a, b) => a + b, 0)).toBe(8);
    const counts = await judged();
    const index = counts.findIndex((n) => n > 0);
    await buckets.nth(index).getByRole('link').click();
    await page.waitForURL((u) => u.pathname.endsWith('/inspections') && u.searchParams.get('product') === productId && !!u.searchParams.get('from'));
    await expect.poll(() => page.getByTestId('inspection-scroller').getByRole('row').count()).toBe(counts[index]);
  });

  it('shows the inversion live while an inspection runs, then zooms the heat map and fades its overlay', async () => {
    // The worker is held while the page opens, so the inspection runs only once the page listens.
    const workerPid = stack.worker!.pid()!;
    process.kill(workerPid, 'SIGSTOP');
    let inspectionId: string;
    try {
      ({ inspection: { id: inspectionId } } = await inspectImage(line, { productId, bytes: await texturePng(3000, 16, 'spot'), line: 'L9', station: 'S9' }));
      await page.goto(`${webUrl}/f/${acmeId}/inspections/${inspectionId}`);
      const live = page.getByRole('region', { name: 'Inversion in progress' });
      await live.locator('.live-dot.on').waitFor();
      await page.evaluate(() => {
        const w = window as unknown as { iterations: string[] };
        w.iterations = [];
        new MutationObserver(() => {
          const text = document.querySelector('[data-testid="inversion-iteration"]')?.textContent ?? '';
          if (text.startsWith('iteration') && w.iterations.at(-1) !== text) w.iterations.push(text);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
    } finally {
      process.kill(workerPid, 'SIGCONT');
    }
    // The result replaces the live view once the worker is done; meanwhile the counter moved.
    await expect.poll(() => page.locator('h1 .pill').first().textContent(), { timeout: 60_000 }).toMatch(/^(PASS|FAIL)$/);
    const iterations = await page.evaluate(() => (window as unknown as { iterations: string[] }).iterations);
    const counts = iterations.map((t) => Number(/^iteration (\d+) of (\d+)/.exec(t)![1]));
    expect(counts.length).toBeGreaterThanOrEqual(2);
    expect(counts.every((n, k) => k === 0 || n > counts[k - 1]!)).toBe(true);

    const heatMap = page.getByTestId('heat-map');
    await expect.poll(() => heatMap.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    const scale = () => page.locator('.react-transform-component').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
    expect(await scale()).toBe(1);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(scale).toBeGreaterThan(1);
    await page.getByRole('button', { name: 'Fit' }).click();
    await expect.poll(scale).toBe(1);
    expect(await heatMap.evaluate((img) => getComputedStyle(img).opacity)).toBe('0.5');
    await page.getByLabel('Heat map opacity').fill('0.2');
    await expect.poll(() => heatMap.evaluate((img) => getComputedStyle(img).opacity)).toBe('0.2');
  });

  it('moves the threshold over an evaluation and saves it; the confusion matrix follows', async () => {
    await uploadImages(line, productId, 4, (i) => texturePng(300 + i, 16), { label: 'QUALIFIED', split: 'TEST' });
    await uploadImages(line, productId, 4, (i) => texturePng(400 + i, 16, 'spot'), { label: 'DEFECTIVE', split: 'TEST' });
    await page.goto(`${webUrl}/f/${acmeId}/models/${modelId}`);
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await page.getByTestId('roc-chart').waitFor({ timeout: 180_000 });
    await page.getByRole('link', { name: /Threshold what-if/ }).click();
    const slider = page.getByLabel('Threshold', { exact: true });
    await slider.waitFor();
    const matrix = async () => Promise.all(['cm-tn', 'cm-fp', 'cm-fn', 'cm-tp'].map((id) => page.getByTestId(id).textContent()));
    const before = await matrix();
    expect(before.map(Number).reduce((a, b) => a + b)).toBe(8);
    // All the way down: every image is judged FAIL, so all 4 qualified ones are false alarms.
    await slider.focus();
    await page.keyboard.press('Home');
    await expect.poll(matrix).toEqual(['0', '4', '0', '4']);
    await expect.poll(() => page.getByTestId('false-alarm-rate').textContent()).toBe('100.0%');
    await page.keyboard.press('End');
    await expect.poll(matrix).toEqual(['4', '0', '4', '0']);
    await page.getByRole('button', { name: "Save as the model's threshold" }).click();
    await page.getByRole('dialog', { name: 'Save the threshold?' }).getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await page.goto(`${webUrl}/f/${acmeId}/settings`);
    await expect.poll(() => page.getByRole('region', { name: 'Audit log' }).getByRole('cell', { name: 'setModelThreshold', exact: true }).count()).toBe(1);
    // The factory's quotas beside its use: the images this test uploaded, against the default limit.
    const usage = page.getByRole('region', { name: 'Usage and quotas' });
    await expect.poll(() => usage.getByRole('row', { name: /Stored images/ }).textContent()).toMatch(/^Stored images[1-9][\d,]*1,000,000$/);
    // Inspection retention (issue 15): saved here, read back after a reload.
    const retention = page.getByRole('form', { name: 'Inspection retention' });
    await retention.getByLabel(/Keep inspections for/).fill('90');
    await retention.getByRole('button', { name: 'Save retention' }).click();
    await retention.getByText('Saved.').waitFor();
    await page.reload();
    await expect.poll(() => page.getByRole('form', { name: 'Inspection retention' }).getByLabel(/Keep inspections for/).inputValue()).toBe('90');
  });

  it('shows a closed lot beside the defect types, each by its Frechet distance to qualified parts', async () => {
    const { createLot: lot } = await line.request(CreateLotDocument, { productId, name: 'Lot 42' });
    await inspectImages(line, productId, { count: 3, seed: 4000, lotId: lot.id, line: 'L1', station: 'S1' });
    await line.request(CloseLotDocument, { id: lot.id });
    await page.goto(`${webUrl}/f/${acmeId}/lots?product=${productId}`);
    const table = page.getByRole('table', { name: 'Frechet distance per defect type' });
    const distance = (name: string) => table.getByRole('row', { name }).getByRole('cell').last().textContent();
    // The worker measures the closed lot; the table refreshes every 10 s.
    await expect.poll(() => distance('Lot 42').catch(() => ''), { timeout: 60_000 }).toMatch(/^\d/);
    expect(await table.getByRole('row', { name: 'Lot 42' }).getByRole('cell').allTextContents()).toEqual(['lot', '3', expect.stringMatching(/^\d/)]);
    expect(await distance('Generated samples (model v1)')).toMatch(/^\d/);
    expect(await distance('Qualified test images')).toMatch(/^\d/);
    // The evaluation's defective test images (no defect type named) form a group of their own.
    expect(await table.getByRole('row').filter({ hasText: 'defect type' }).count()).toBeGreaterThanOrEqual(2);
  });

  it('reviews the queue with the keyboard and adds an overturned image to the dataset', async () => {
    await page.goto(`${webUrl}/f/${acmeId}/review`);
    const item = page.getByRole('region', { name: 'Inspection to review' });
    await item.waitFor();
    const verdict = await item.locator('h2 .pill').textContent();
    await page.keyboard.press('o');
    await item.getByText(`Overturned to ${verdict === 'PASS' ? 'FAIL' : 'PASS'}.`).waitFor();
    await page.keyboard.press('d');
    await item.getByText(verdict === 'PASS' ? 'added to the test set' : 'added to the training set').waitFor();
  });

  it("switches factory and shows none of the other factory's data", async () => {
    await page.goto(`${webUrl}/f/${acmeId}/products`);
    await page.getByRole('link', { name: 'Tile T1' }).waitFor();
    await page.getByLabel('Factory').selectOption({ label: 'Beta Cells' });
    await page.waitForURL(`${webUrl}/f/${betaId}/products`);
    await page.getByRole('link', { name: 'Beta secret product' }).waitFor();
    expect(await page.getByText('Tile T1').count()).toBe(0);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inspections' }).click();
    await page.getByText('No inspections match').waitFor();
    // Acme's product id under Beta's URL is simply not found there.
    await page.goto(`${webUrl}/f/${betaId}/products/${productId}`);
    await page.getByText('Not found').first().waitFor();
  });

  it('shows a viewer no admin or engineering actions (at tablet width)', async () => {
    const viewer = await newDashboardPage(browser, 820);
    try {
      await signInThroughForm(viewer, webUrl, VIEWER, viewerPassword);
      await viewer.waitForURL(`${webUrl}/f/${acmeId}/inspections`);
      await expect.poll(() => viewer.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Inspections', 'Lots', 'Products']);
      // Tablet width: the grid drops secondary columns rather than scrolling the page sideways.
      await viewer.getByTestId('inspection-scroller').waitFor();
      expect(await viewer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
      await viewer.goto(`${webUrl}/f/${acmeId}/products`);
      await viewer.getByRole('link', { name: 'Tile T1' }).click();
      await viewer.getByTestId('image-grid').waitFor();
      expect(await viewer.getByRole('region', { name: 'Upload images' }).count()).toBe(0);
      expect(await viewer.getByRole('button', { name: 'New product' }).count()).toBe(0);
      await viewer.goto(`${webUrl}/f/${acmeId}/models/${modelId}`);
      await viewer.getByTestId('generator-frechet').waitFor();
      expect(await viewer.getByRole('button', { name: /Evaluate|Activate|Cancel/ }).count()).toBe(0);
      await viewer.goto(`${webUrl}/f/${acmeId}/settings`);
      await viewer.getByText('Settings are for factory admins.').waitFor();
      await viewer.goto(`${webUrl}/f/${acmeId}`);
      await viewer.waitForURL(`${webUrl}/f/${acmeId}/inspections`);
    } catch (err) {
      await saveFailureShot(viewer, 'viewer');
      throw err;
    } finally {
      await viewer.context().close();
    }
  });
});
