import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import pg from 'pg';
import { freePort } from '@gansight/cli';
import { activateModel, createDbClient, createModel, recordInspectionResult, updateModel } from '@gansight/db';
import { createTestDatabase } from '@gansight/db/testing';
import { FsBlobStore } from '@gansight/storage';
import { findPostgresTools, startPostgresWithTools, type PostgresWithTools } from './support/postgres-with-tools';
import { repoRoot, runCli } from './support/run-cli';

// docs/DEPLOY.md's backup and restore, done as an operator would: a deployment (PostgreSQL with
// its own pg_dump, blobs on disk, `gansight start` as a process) gets a factory, a product,
// images, a model and inspections through the API; infra/backup/gansight-backup.ts backs it
// up; the database and the blobs are wiped; a fresh server and an empty blob folder are
// restored; and the API shows the same rows and serves the same bytes.

const SECRET = 'backup-test-secret-0123456789abcdef0123456789';
const ADMIN = { email: 'ops@restore.example', password: 'a long password for restores' };

interface Api {
  url: string;
  stop(): Promise<void>;
}

/** `gansight start` without worker and dashboard, as a separate process. */
async function startApi(env: Record<string, string>): Promise<Api> {
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'apps/cli/bin/gansight.js'), 'start'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start within 120 s:\n${output}`)), 120_000);
    child.once('exit', (code) => reject(new Error(`gansight start exited ${code}:\n${output}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      const m = /API ready at ([^\s"]+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function gql(api: Api, key: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

function backupTool(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'infra/backup/gansight-backup.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const download = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

/** Everything the API shows of the factory; signed URLs replaced by the sha256 of what they serve. */
async function snapshot(api: Api, key: string, productId: string) {
  const data = await gql(
    api,
    key,
    `query($p: ID!) {
      factory { id name slug }
      product(id: $p) { id name slug imageSize channels }
      images(first: 50) { edges { node { id sha256 byteSize width height label split line url } } }
      models(productId: $p) { edges { node { id version status isActive threshold } } }
      inspections(first: 50) { edges { node { id status verdict anomalyScore normalizedScore threshold idempotencyKey imageId modelId station residualUrl } } }
    }`,
    { p: productId },
  );
  for (const { node } of data.images.edges) node.url = sha256(await download(node.url));
  for (const { node } of data.inspections.edges) if (node.residualUrl) node.residualUrl = sha256(await download(node.residualUrl));
  return data;
}

async function queuedJobs(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string }>('SELECT key FROM graphile_worker.jobs ORDER BY key');
    return rows.map((r) => r.key);
  } finally {
    await client.end();
  }
}

describe('backup and restore of a deployment (infra/backup)', () => {
  let work: string;
  let source: PostgresWithTools | undefined;
  let target: PostgresWithTools | undefined;
  let api: Api | undefined;
  let folder: string | undefined;
  const backupDir = () => folder!;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'gansight-backup-test-'));
  });
  afterAll(async () => {
    await api?.stop();
    await source?.stop();
    await target?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('brings back the same factory, product, images, model, inspections, queue and blob bytes after a wipe', async () => {
    source = await startPostgresWithTools();
    const sourceEnv = {
      DATABASE_URL: await source.createDatabase('gansight'),
      STORAGE_DRIVER: 'fs',
      STORAGE_FS_ROOT: path.join(work, 'blobs-before'),
      GANSIGHT_DATA_DIR: path.join(work, 'data-before'),
      GANSIGHT_SECRET: SECRET,
      API_PORT: String(await freePort()),
      START_WORKER: 'false',
      START_WEB: 'false',
    };
    api = await startApi(sourceEnv);
    const created = await runCli(['factory', 'create', '--name', 'Restore Works', '--admin-email', ADMIN.email, '--admin-password', ADMIN.password], sourceEnv);
    expect(created.code, created.stderr).toBe(0);
    const { factoryId, apiKey } = JSON.parse(created.stdout) as { factoryId: string; apiKey: string };

    const { createProduct: product } = await gql(api, apiKey, 'mutation { createProduct(input: { name: "Tile", imageSize: 64, channels: 1 }) { id } }');
    const imageIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const png = await sharp(randomBytes(64 * 64), { raw: { width: 64, height: 64, channels: 1 } }).png().toBuffer();
      const { uploadImage } = await gql(
        api,
        apiKey,
        'mutation($i: UploadImageInput!) { uploadImage(input: $i) { image { id } } }',
        { i: { productId: product.id, dataBase64: png.toString('base64'), facts: { label: 'QUALIFIED', split: 'TRAIN', line: 'L1' } } },
      );
      imageIds.push(uploadImage.image.id);
    }

    // A trained model as the worker leaves it (training is not what this test is about): a
    // READY, active version whose generator is a blob.
    const db = createDbClient(sourceEnv.DATABASE_URL, { maxConnections: 2 });
    const blobs = new FsBlobStore({ root: sourceEnv.STORAGE_FS_ROOT });
    const model = await createModel(db, factoryId, { productId: product.id, hyperParameters: { steps: 10 } });
    const generatorKey = `factories/${factoryId}/models/${model.id}/generator.bin`;
    await blobs.put(generatorKey, randomBytes(50_000));
    await updateModel(db, factoryId, model.id, { status: 'READY', threshold: 0.42, generatorKey });
    await activateModel(db, factoryId, model.id);

    // Two inspections through the API; the worker's result written to one, the other still queued.
    const submit = (imageId: string, key: string) =>
      gql(api!, apiKey, 'mutation($i: SubmitInspectionInput!) { submitInspection(input: $i) { created inspection { id } } }', {
        i: { imageId, idempotencyKey: key, station: 'S3' },
      });
    const done = (await submit(imageIds[0]!, 'line-0001')).submitInspection.inspection.id as string;
    const queued = (await submit(imageIds[1]!, 'line-0002')).submitInspection.inspection.id as string;
    const residualKey = `factories/${factoryId}/inspections/${done}/residual.png`;
    await blobs.put(residualKey, await sharp(randomBytes(64 * 64 * 3), { raw: { width: 64, height: 64, channels: 3 } }).png().toBuffer(), { contentType: 'image/png' });
    await recordInspectionResult(db, factoryId, done, {
      status: 'DONE', anomalyScore: 1.7, normalizedScore: 0.81, threshold: 0.42, verdict: 'FAIL', residualKey, completedAt: new Date(),
    });
    await db.$disconnect();

    const before = await snapshot(api, apiKey, product.id);
    expect(before.images.edges).toHaveLength(3);
    expect(before.inspections.edges.map((e: any) => [e.node.id, e.node.status, e.node.verdict]).sort()).toEqual(
      [[done, 'DONE', 'FAIL'], [queued, 'QUEUED', null]].sort(),
    );
    const jobsBefore = await queuedJobs(sourceEnv.DATABASE_URL);
    expect(jobsBefore).toContain(`inspect:${queued}`);

    // As the CronJob runs it: a new, time-named folder under the backups volume.
    const backup = await backupTool(['backup', '--under', path.join(work, 'backups'), '--pg-bin', source.binDir], sourceEnv);
    expect(backup.code, backup.stderr).toBe(0);
    const manifest = JSON.parse(backup.stdout);
    folder = manifest.folder;
    expect(path.basename(folder!)).toMatch(/^gansight-\d{8}T\d{6}Z$/);
    // Three images, the generator and the residual.
    expect(manifest.blobs.count).toBe(5);
    expect(manifest.database.lastMigration).toMatch(/^\d{14}_/);

    // The wipe: the server, its data and the blob folder are gone.
    await api.stop();
    api = undefined;
    await source.stop();
    source = undefined;
    await rm(sourceEnv.STORAGE_FS_ROOT, { recursive: true, force: true });

    target = await startPostgresWithTools();
    const targetEnv = {
      ...sourceEnv,
      DATABASE_URL: await target.createDatabase('gansight_restored'),
      STORAGE_FS_ROOT: path.join(work, 'blobs-after'),
      GANSIGHT_DATA_DIR: path.join(work, 'data-after'),
      API_PORT: String(await freePort()),
    };
    const restore = await backupTool(['restore', '--from', backupDir(), '--pg-bin', target.binDir], targetEnv);
    expect(restore.code, restore.stderr).toBe(0);

    api = await startApi(targetEnv);
    const after = await snapshot(api, apiKey, product.id);
    expect(after).toEqual(before);
    expect(await queuedJobs(targetEnv.DATABASE_URL)).toEqual(jobsBefore);
    const generator = await new FsBlobStore({ root: targetEnv.STORAGE_FS_ROOT }).get(generatorKey);
    expect(sha256(generator)).toBe(JSON.parse(await readFile(path.join(backupDir(), 'blobs.ndjson'), 'utf8').then((t) => `[${t.trim().split('\n').join(',')}]`)).find((e: any) => e.key === generatorKey).sha256);
    // The admin's password and the idempotency keys came back too.
    const login = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: ADMIN.email, p: ADMIN.password } }),
    });
    expect(((await login.json()) as any).data.login.token).toMatch(/\S{20,}/);
    const again = await submit(imageIds[0]!, 'line-0001');
    expect(again.submitInspection).toEqual({ created: false, inspection: { id: done } });
    await api.stop();
    api = undefined;
  });

  it('refuses to restore into a database that has tables, and changes nothing there', async () => {
    target ??= await startPostgresWithTools();
    const url = await target.createDatabase('gansight_busy');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE keep_me (id int); INSERT INTO keep_me VALUES (1)');
    const blobRoot = path.join(work, 'blobs-busy');
    const result = await backupTool(['restore', '--from', backupDir(), '--pg-bin', target.binDir], {
      DATABASE_URL: url, STORAGE_DRIVER: 'fs', STORAGE_FS_ROOT: blobRoot, GANSIGHT_DATA_DIR: path.join(work, 'data-busy'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^TARGET_NOT_EMPTY: the target database already has 1 tables \(public\.keep_me\): restore into a new, empty database/);
    expect((await client.query('SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1', ['public'])).rows[0].n).toBe(1);
    await client.end();
  });

  it('refuses a damaged backup before writing anything', async () => {
    target ??= await startPostgresWithTools();
    const url = await target.createDatabase('gansight_damaged');
    const list = (await readFile(path.join(backupDir(), 'blobs.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const victim = path.join(backupDir(), 'blobs', ...list[0].key.split('/'));
    const original = await readFile(victim);
    await writeFile(victim, Buffer.concat([original, Buffer.from('x')]));
    try {
      const blobRoot = path.join(work, 'blobs-damaged');
      const result = await backupTool(['restore', '--from', backupDir(), '--pg-bin', target.binDir], {
        DATABASE_URL: url, STORAGE_DRIVER: 'fs', STORAGE_FS_ROOT: blobRoot, GANSIGHT_DATA_DIR: path.join(work, 'data-damaged'),
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`BACKUP_DAMAGED: blob ${list[0].key} is missing or does not match its checksum; nothing was restored`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      expect((await client.query('SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1', ['public'])).rows[0].n).toBe(0);
      await client.end();
    } finally {
      await writeFile(victim, original);
    }
  });

  it('refuses to dump a server newer than its pg_dump, naming both versions and the fix', async () => {
    // The embedded PostgreSQL of the other tests is newer than Debian's pg_dump.
    const embedded = await createTestDatabase();
    try {
      const result = await backupTool(['backup', '--out', path.join(work, 'too-new'), '--pg-bin', findPostgresTools()], {
        DATABASE_URL: embedded.url, STORAGE_DRIVER: 'fs', STORAGE_FS_ROOT: path.join(work, 'blobs-too-new'), GANSIGHT_DATA_DIR: path.join(work, 'data-too-new'),
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^PG_DUMP_TOO_OLD: pg_dump 1\d\.\d+ cannot dump PostgreSQL 1\d\.\d+: use pg_dump 1\d or newer/);
    } finally {
      await embedded.drop();
    }
  });
});
