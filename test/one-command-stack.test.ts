import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@gansight/config';
import { freePort, startStack, type RunningStack } from '@gansight/cli';
import { launchBrowser } from './support/browser';

import { runCli } from './support/run-cli';

// What `npm start` does, end to end: embedded PostgreSQL, storage, API, worker and dashboard in
// one process, a factory bootstrapped by the CLI from another process, its API key used as
// credentials, the dashboard rendered in a real browser, and the data still there after a
// restart.
let dataDir: string;
let env: Record<string, string>;
let stack: RunningStack | null = null;

async function start(): Promise<RunningStack> {
  stack = await startStack(loadConfig(env), () => undefined);
  return stack;
}

async function me(url: string, token: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { kind factory { id name slug } scopes } }' }),
  });
  return (await res.json()) as any;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gansight-stack-'));
  env = {
    GANSIGHT_DATA_DIR: dataDir,
    API_PORT: String(await freePort()),
    WEB_PORT: String(await freePort()),
    ML_BACKEND: 'cpu',
  };
});

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('one command runs everything', () => {
  let credentials: { factoryId: string; apiKey: string; factorySlug: string };

  it('starts the whole stack and a CLI-created factory key works as credentials', async () => {
    const running = await start();
    expect(running.database.embedded?.dataDir).toBe(path.join(dataDir, 'postgres'));
    expect(running.worker).not.toBeNull();

    const created = await runCli(
      ['factory', 'create', '--name', 'Acme Tiles', '--admin-email', 'ops@acme.example', '--admin-password', 'a long password'],
      env,
    );
    expect(created.stderr).not.toMatch(/error/i);
    expect(created.code).toBe(0);
    credentials = JSON.parse(created.stdout);
    expect(credentials.apiKey).toMatch(/^gsk_/);

    const answer = await me(running.api.url, credentials.apiKey);
    expect(answer.data.me).toMatchObject({ kind: 'API_KEY', factory: { id: credentials.factoryId, name: 'Acme Tiles', slug: 'acme-tiles' } });
  });

  it('refuses to start on a bad setting, naming the variable and what it expects', async () => {
    const bad = await runCli(['start'], { ...env, API_PORT: 'eighty', ML_BACKEND: 'tpu' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/API_PORT: expected a port number \(got "eighty"\)/);
    expect(bad.stderr).toMatch(/ML_BACKEND: expected auto, tensorflow, wasm or cpu \(got "tpu"\)/);
    expect(bad.stdout).not.toMatch(/ready/);
  });

  it('refuses bad CLI input with a message and writes nothing', async () => {
    const bad = await runCli(['factory', 'create', '--name', 'X', '--admin-email', 'not-an-email', '--admin-password', 'short'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--admin-email "not-an-email" is not an email address/);
    expect(bad.stderr).toMatch(/--admin-password must be at least 10 characters/);
    expect(bad.stdout).toBe('');
  });

  it('serves the dashboard, which shows the platform status from the API', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(stack!.web!.url);
      await expect.poll(() => page.getByTestId('platform-status').textContent(), { timeout: 60_000 }).toBe('OK');
      expect(await page.getByText('database').count()).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  });

  it('finds the same data after a stop and a second start', async () => {
    await stack!.stop();
    stack = null;
    const again = await start();
    expect(again.database.migrations.applied).toEqual([]);
    const answer = await me(again.api.url, credentials.apiKey);
    expect(answer.data.me.factory.id).toBe(credentials.factoryId);
  });
});
