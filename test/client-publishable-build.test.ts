// The form an integrator installs: `npm run build` emits dist/ with its own manifest, `npm pack`
// makes a tarball of it, and a project outside the monorepo installs that tarball and uses it
// from plain `node` (no tsx) and from TypeScript, against a real API. Proves the package
// resolves without our sources and pulls in none of the API's or the database's packages.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestFactory } from '@gansight/api/testing';
import { repoRoot } from './support/run-cli';

const run = promisify(execFile);
const packageDir = path.join(repoRoot, 'packages/client');

let t: TestApi;
let acme: TestFactory;
let project: string;

beforeAll(async () => {
  t = await startTestApi();
  acme = await t.createFactory('Acme Packaged');
  project = await mkdtemp(path.join(tmpdir(), 'gansight-client-consumer-'));
});
afterAll(async () => {
  await t?.stop();
  if (project) await rm(project, { recursive: true, force: true });
});

describe('@gansight/client as a published package', () => {
  it('builds, packs, installs into a plain Node project and runs a typed query against the API', async () => {
    await run('npm', ['run', 'build', '-w', '@gansight/client'], { cwd: repoRoot });
    const packed = await run('npm', ['pack', '--json', '--pack-destination', project], { cwd: path.join(packageDir, 'dist') });
    const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    const shipped = files.map((f) => f.path);
    expect(shipped).toEqual(expect.arrayContaining(['package.json', 'index.js', 'index.d.ts', 'node.js', 'node.d.ts', 'generated/graphql.js']));
    // No sources, tests or codegen (which reads the API's schema) in the tarball.
    expect(shipped.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
    expect(shipped.filter((p) => /test|codegen/.test(p))).toEqual([]);

    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'line-integration', private: true, type: 'module' }));
    // Its dependencies come from npm's cache, as `npm ci` left them there.
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', `./${filename}`], { cwd: project });
    const installed = await readdir(path.join(project, 'node_modules'));
    expect(installed).not.toContain('@prisma');
    expect(await readdir(path.join(project, 'node_modules/@gansight'))).toEqual(['client']);

    await writeFile(
      path.join(project, 'me.mjs'),
      `import { createGansightClient, MeDocument, GansightApiError } from '@gansight/client';
const client = createGansightClient({ url: process.argv[2], apiKey: process.argv[3] });
const { me } = await client.request(MeDocument);
const denied = await createGansightClient({ url: process.argv[2], apiKey: 'gsk_not_a_key' }).request(MeDocument).catch((e) => e);
console.log(JSON.stringify({ me, denied: denied instanceof GansightApiError ? denied.code : String(denied) }));
await client.close();
`,
    );
    const out = await run(process.execPath, ['me.mjs', t.api.url, acme.keyToken], { cwd: project });
    const result = JSON.parse(out.stdout);
    expect(result.me).toMatchObject({ kind: 'API_KEY', factory: { id: acme.factoryId } });
    expect(result.denied).toBe('UNAUTHENTICATED');

    // The declarations resolve through the shipped manifest under Node's own module rules.
    await writeFile(
      path.join(project, 'check.ts'),
      `import { createGansightClient, MeDocument, type MeQuery } from '@gansight/client';
const client = createGansightClient({ url: 'http://localhost:4000/graphql', apiKey: 'k' });
export const read: Promise<MeQuery> = client.request(MeDocument);
// @ts-expect-error a typed result, not any
export const wrong: Promise<number> = client.request(MeDocument);
`,
    );
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    const typeRoots = path.join(repoRoot, 'node_modules/@types');
    await run(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--typeRoots', typeRoots, '--types', 'node', 'check.ts'], { cwd: project });
  });
});
