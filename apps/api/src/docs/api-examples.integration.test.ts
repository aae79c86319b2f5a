// Runs the curl and Node examples of docs/API.md, exactly as written, against a real server:
// if the documentation drifts from the API, this fails.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateModel, createModel, updateModel } from '@gansight/db';
import { PASSWORD, startTestApi, type TestApi, type TestFactory } from '../testing/test-api';
import { pngImage } from '../testing/test-images';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const DOC = path.join(ROOT, 'docs/API.md');

let t: TestApi;
let acme: TestFactory;
let dir: string;
let env: NodeJS.ProcessEnv;

function codeBlock(markdown: string, language: string): string {
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(markdown);
  if (!match) throw new Error(`docs/API.md has no ${language} example`);
  return match[1]!;
}

beforeAll(async () => {
  t = await startTestApi({ events: true });
  acme = await t.createFactory('Acme Tiles');
  const product = await t.gql('mutation { createProduct(input: { name: "Cell", imageSize: 32, channels: 1 }) { id } }', {}, { token: acme.keyToken });
  const productId = product.json.data!.createProduct.id;
  const model = await createModel(t.database.db, acme.factoryId, { productId });
  await updateModel(t.database.db, acme.factoryId, model.id, { status: 'READY' });
  await activateModel(t.database.db, acme.factoryId, model.id);
  dir = await mkdtemp(path.join(tmpdir(), 'gansight-doc-'));
  // Where an integrator's project would have @gansight/client installed.
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  env = { ...process.env, GANSIGHT_URL: new URL(t.api.url).origin, GANSIGHT_KEY: acme.keyToken, PRODUCT_ID: productId };
});
afterAll(async () => {
  await t.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A code block inside a list item, without the item's indentation (a heredoc's EOF must start its line). */
function dedent(block: string): string {
  const lines = block.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

describe('docs/API.md examples', () => {
  it('the key example signs an admin in and creates a narrow API key that then works', async () => {
    const script = dedent(codeBlock(await readFile(DOC, 'utf8'), 'bash'));
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { env: { ...env, ADMIN_EMAIL: acme.adminEmail, ADMIN_PASSWORD: PASSWORD } });
    const body = JSON.parse(stdout);
    expect(body.errors).toBeUndefined();
    const { token, apiKey } = body.data.createApiKey;
    expect(apiKey.scopes).toEqual(['images:write', 'inspections:write', 'results:read']);
    const me = await t.gql('{ me { factory { id } scopes apiKeyName } }', {}, { token });
    expect(me.json.data!.me).toEqual({ factory: { id: acme.factoryId }, scopes: ['images:write', 'inspections:write', 'results:read'], apiKeyName: 'L1 camera 2' });
  });

  it('the curl example submits an inspection with the image inside the request', async () => {
    const image = path.join(dir, 'part-curl.png');
    await writeFile(image, await pngImage(48, 1));
    const script = codeBlock(await readFile(DOC, 'utf8'), 'sh');
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { env: { ...env, IMAGE: image } });
    const body = JSON.parse(stdout);
    expect(body.errors).toBeUndefined();
    expect(body.data.submitInspection).toMatchObject({ created: true, inspection: { status: 'QUEUED' } });
    const row = await t.database.db.inspection.findFirst({ where: { id: body.data.submitInspection.inspection.id } });
    expect(row).toMatchObject({ factoryId: acme.factoryId, idempotencyKey: 'L1-cam2-000042', line: 'L1' });
  });

  it('the Node example (@gansight/client) uploads through a presigned URL, submits and waits for the verdict', async () => {
    const image = path.join(dir, 'part-node.png');
    await writeFile(image, await pngImage(40, 2));
    const file = path.join(dir, 'example.mjs');
    await writeFile(file, codeBlock(await readFile(DOC, 'utf8'), 'js'));
    const example = run(process.execPath, ['--import', 'tsx', file], { env: { ...env, IMAGE: image }, cwd: dir });
    // Play the worker: once the example's inspection is queued, write a verdict and announce it.
    const queued = await waitForRow(() => t.database.db.inspection.findFirst({ where: { factoryId: acme.factoryId, line: 'L1', idempotencyKey: { startsWith: 'L1-' }, status: 'QUEUED', image: { width: 40 } } }));
    await t.database.db.inspection.update({
      where: { id: queued.id },
      data: { status: 'DONE', verdict: 'PASS', anomalyScore: 0.5, normalizedScore: 0.5, threshold: 1, completedAt: new Date() },
    });
    await t.publish({ factoryId: acme.factoryId, kind: 'inspection.completed', id: queued.id });
    const { stdout } = await example;
    expect(JSON.parse(stdout.trim())).toEqual({ id: queued.id, status: 'DONE', verdict: 'PASS', normalizedScore: 0.5 });
    const row = await t.database.db.inspection.findFirst({ where: { id: queued.id }, include: { image: true } });
    expect(row?.image).toMatchObject({ width: 40, source: 'LINE', line: 'L1' });
  });
});

async function waitForRow<T>(read: () => Promise<T | null>, ms = 60_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const row = await read();
    if (row) return row;
  }
  throw new Error('the example did not submit an inspection in time');
}
