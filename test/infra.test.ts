import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { baseImage, effective, execForm, parseDockerfile, stageChain } from './support/dockerfile';
import { knownVariables, webVariables } from './support/known-variables';
import { repoRoot } from './support/run-cli';

// No Docker engine runs on our machines, so the images and the compose file are checked
// statically: each role's image exists, runs unprivileged with a health check, copies only
// files that exist and starts commands that exist; the compose file is what `docker compose
// config` would accept and names only settings Gansight reads.
const read = (p: string) => readFileSync(path.join(repoRoot, p), 'utf8');
const dockerfile = parseDockerfile(read('infra/Dockerfile'));
const compose = parse(read('infra/docker-compose.yml'), { merge: true });
const cliCommands = [...read('apps/cli/src/bin.ts').matchAll(/\.command\('([\w-]+)'\)/g)].map((m) => m[1]);

const ROLES = ['api', 'worker', 'worker-gpu', 'web', 'migrate', 'backup'] as const;
const LONG_RUNNING = ['api', 'worker', 'worker-gpu', 'web'] as const;

/** Checks that a process command names a file, script or CLI command that exists. */
function expectRunnable(words: string[], where: string, cwd = '.') {
  expect(words[0], where).toBe('node');
  const rest = words.slice(1).filter((w, i, all) => w !== '--import' && all[i - 1] !== '--import');
  const script = rest[0]!;
  expect(existsSync(path.join(repoRoot, cwd, script)), `${where}: ${script}`).toBe(true);
  if (script === 'apps/cli/bin/gansight.js') expect(cliCommands, where).toContain(rest[1]);
}

describe('images (infra/Dockerfile)', () => {
  it('has one target per role', () => {
    const names = dockerfile.stages.map((s) => s.name);
    for (const role of ROLES) expect(names, role).toContain(role);
  });

  it('runs every role as an unprivileged user', () => {
    for (const role of ROLES) {
      const user = effective(dockerfile, role, 'USER');
      expect(user, role).toBeDefined();
      expect(['root', '0', '0:0'], role).not.toContain(user);
    }
  });

  it('gives every long-running role a health check whose command exists, and a command that exists', () => {
    for (const role of LONG_RUNNING) {
      const health = effective(dockerfile, role, 'HEALTHCHECK');
      expect(health, role).toMatch(/^--interval=\S+ .*CMD \[/);
      expectRunnable(execForm(health!), `${role} HEALTHCHECK`);
      const workdir = effective(dockerfile, role, 'WORKDIR')!;
      expectRunnable(execForm(effective(dockerfile, role, 'CMD')!), `${role} CMD`, path.relative('/app', workdir));
    }
    expectRunnable(execForm(effective(dockerfile, 'migrate', 'CMD')!), 'migrate CMD');
    expectRunnable(execForm(effective(dockerfile, 'backup', 'CMD')!), 'backup CMD');
    // The backup image brings a pg_dump newer than Debian's 15 (pg_dump refuses newer servers).
    const backupRun = stageChain(dockerfile, 'backup')[0]!.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join(' ');
    expect(backupRun).toMatch(/postgresql-client-\$\{PG_MAJOR\}/);
  });

  it('installs from every workspace manifest of the lock file before npm ci (npm ci refuses a partial workspace set)', () => {
    const build = dockerfile.stages.find((s) => s.name === 'build')!;
    const ciAt = build.instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(ciAt).toBeGreaterThan(0);
    const copied = build.instructions
      .slice(0, ciAt)
      .filter((i) => i.keyword === 'COPY')
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { link?: boolean }> };
    const workspaces = Object.keys(lock.packages).filter((p) => p !== '' && !p.startsWith('node_modules/'));
    expect(workspaces.length).toBeGreaterThan(5);
    for (const ws of workspaces) expect(copied, ws).toContain(`${ws}/package.json`);
    // The postinstall hook generates the Prisma client with this script and schema.
    expect(copied).toContain('packages/db/scripts');
    expect(copied).toContain('prisma');
  });

  it('copies only paths that exist, and keeps host dependencies and data out of the build context', () => {
    const sources = dockerfile.stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(10);
    for (const src of sources) if (src !== '.') expect(existsSync(path.join(repoRoot, src)), src).toBe(true);
    const ignored = read('infra/Dockerfile.dockerignore').split('\n');
    for (const pattern of ['**/node_modules', '.data', '.git', '.env']) expect(ignored, pattern).toContain(pattern);
  });

  it('pins every base image to a version', () => {
    for (const stage of dockerfile.stages) {
      if (dockerfile.stages.some((s) => s.name === stage.from)) continue;
      expect(stage.from, stage.name).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(stage.from, stage.name).not.toMatch(/:latest$/);
    }
  });

  it('builds the GPU worker on a CUDA 11 / cuDNN 8 runtime with tfjs-node-gpu, and keeps the GPU library out of the CPU images', () => {
    expect(baseImage(dockerfile, 'worker-gpu')).toMatch(/^nvidia\/cuda:11\.\d+\.\d+-cudnn8-runtime-/);
    expect(effective(dockerfile, 'worker-gpu', 'ENV')).toMatch(/ML_BACKEND=tensorflow/);
    const ml = JSON.parse(read('packages/ml/package.json'));
    expect(ml.optionalDependencies['@tensorflow/tfjs-node-gpu']).toBe('4.22.0');
    const removes = (role: string) =>
      stageChain(dockerfile, role)
        .flatMap((s) => s.instructions)
        .filter((i) => i.keyword === 'RUN')
        .map((i) => i.args)
        .join(' ');
    expect(removes('worker-gpu')).not.toMatch(/tfjs-node-gpu/);
    expect(removes('worker')).toMatch(/rm -rf [^&]*node_modules\/@tensorflow\/tfjs-node-gpu/);
    expect(removes('api')).toMatch(/rm -rf [^&]*node_modules\/@tensorflow\/tfjs-node-gpu/);
    // Every image's Node is the same major version the project declares.
    const engines = JSON.parse(read('package.json')).engines.node as string;
    expect(dockerfile.globalArgs.NODE_IMAGE).toMatch(new RegExp(`^node:${engines.match(/\d+/)![0]}\\.`));
  });

  it('proxies the dashboard to the API Service the manifests define', () => {
    // A run-time setting of the web image (ADR 0062), not a build argument.
    const web = dockerfile.stages.find((s) => s.name === 'web')!;
    const env = web.instructions.find((i) => i.keyword === 'ENV' && i.args.includes('GANSIGHT_API_ORIGIN='))!.args;
    expect(env).toMatch(/GANSIGHT_API_ORIGIN=http:\/\/gansight-api:4000(\s|$)/);
    expect(dockerfile.stages.flatMap((s) => s.instructions).some((i) => i.keyword === 'ARG' && i.args.startsWith('GANSIGHT_API_ORIGIN'))).toBe(false);
    expect(webVariables()).toContain('GANSIGHT_API_ORIGIN');
  });
});

describe('compose (infra/docker-compose.yml)', () => {
  it('builds each of our services from an existing target of infra/Dockerfile', () => {
    const targets = dockerfile.stages.map((s) => s.name);
    for (const [name, service] of Object.entries<any>(compose.services)) {
      if (!service.build) {
        expect(service.image, name).toMatch(/^[\w./-]+:[\w.-]+$/);
        continue;
      }
      expect(service.build.dockerfile, name).toBe('infra/Dockerfile');
      expect(targets, name).toContain(service.build.target);
    }
  });

  it('depends only on services that exist, with conditions compose knows; named volumes are declared', () => {
    const names = Object.keys(compose.services);
    const conditions = ['service_started', 'service_healthy', 'service_completed_successfully'];
    for (const [name, service] of Object.entries<any>(compose.services)) {
      const deps = Array.isArray(service.depends_on) ? Object.fromEntries(service.depends_on.map((d: string) => [d, {}])) : (service.depends_on ?? {});
      for (const [dep, how] of Object.entries<any>(deps)) {
        expect(names, `${name} depends on ${dep}`).toContain(dep);
        if (how.condition) expect(conditions).toContain(how.condition);
        if (how.condition === 'service_healthy') expect(compose.services[dep].healthcheck, dep).toBeDefined();
      }
      for (const volume of service.volumes ?? []) {
        const source = String(volume).split(':')[0]!;
        if (!source.startsWith('.') && !source.startsWith('/')) expect(Object.keys(compose.volumes), source).toContain(source);
      }
    }
    // Nothing that needs the schema starts before migrations finished.
    for (const name of ['api', 'worker']) expect(compose.services[name].depends_on.migrate.condition).toBe('service_completed_successfully');
  });

  it('sets only variables that Gansight reads (or the dashboard reads)', () => {
    for (const name of ['migrate', 'api', 'worker']) {
      const unknown = Object.keys(compose.services[name].environment).filter((v) => !knownVariables.has(v));
      expect(unknown, `service ${name}`).toEqual([]);
    }
    const web = [...Object.keys(compose.services.web.environment), ...Object.keys(compose.services.web.build.args ?? {})];
    expect(web.filter((v) => !knownVariables.has(v) && !webVariables().includes(v))).toEqual([]);
    expect(compose.services.worker.deploy.resources.reservations.devices[0].capabilities).toContain('gpu');
  });

  it('gives production services an external database, S3 storage and a shared secret', () => {
    const env = compose.services.api.environment;
    expect(env.DATABASE_URL).toMatch(/^postgresql:\/\//);
    expect(env.STORAGE_DRIVER).toBe('s3');
    expect(env.GANSIGHT_SECRET).toBeTruthy();
  });
});
