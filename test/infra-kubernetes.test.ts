import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ConfigError, loadConfig } from '@gansight/config';
import { createTestDatabase, type TestDatabase } from '@gansight/db/testing';
import { createJobQueue, type JobQueue } from '@gansight/worker';
import { parseDockerfile } from './support/dockerfile';
import { knownVariables, webVariables } from './support/known-variables';
import { schemaError, unknownFieldErrors, type Manifest } from './support/kubernetes-schemas';
import { repoRoot } from './support/run-cli';

// No cluster runs here: every manifest in infra/k8s is validated offline against the Kubernetes
// and KEDA schemas, strictly (no unknown field), then checked for what the schemas cannot see:
// the objects refer to each other correctly, the pods run what the images contain with the
// settings Gansight reads, and KEDA's queue-depth queries count the right jobs in a real queue.
const dir = path.join(repoRoot, 'infra/k8s');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const manifests: Manifest[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(path.join(dir, file), 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    return { ...(doc.toJS() as Manifest), file };
  }),
);
const kustomization = (parseAllDocuments(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8'))[0]!.toJS()) as any;
const of = (kind: string) => manifests.filter((m) => m.kind === kind);
const named = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
const podSpec = (m: Manifest) => (m.kind === 'CronJob' ? m.spec.jobTemplate.spec.template.spec : m.spec.template.spec);
const workloads = [...of('Deployment'), ...of('Job'), ...of('CronJob')];
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('Kubernetes manifests (infra/k8s)', () => {
  it('are all valid objects of the Kubernetes and KEDA schemas', async () => {
    expect(manifests.length).toBeGreaterThan(12);
    for (const m of manifests) expect(await schemaError(m), `${m.file}: ${m.kind}/${m.metadata?.name}`).toBeUndefined();
    // The check itself: a wrong type and an API group with no schema are refused.
    const broken = structuredClone(named('Deployment', 'gansight-api')!);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'four thousand';
    expect(await schemaError(broken)).toMatch(/containerPort must be integer/);
    expect(await schemaError({ ...broken, apiVersion: 'apps/v9' })).toMatch(/no schema for apps\/v9 Deployment/);
  });

  it('name no field the schemas do not define (a strict API server refuses those)', () => {
    expect(unknownFieldErrors(manifests)).toEqual([]);
    // The check itself: a misspelt probe is caught, and so is a field in the wrong place.
    // (TypeScript names the first stray field of each object.)
    const api = named('Deployment', 'gansight-api')!;
    const misspelt = structuredClone(api);
    misspelt.spec.template.spec.containers[0].livenessprobe = misspelt.spec.template.spec.containers[0].livenessProbe;
    const misplaced = structuredClone(api);
    misplaced.spec.replica = 2;
    const errors = unknownFieldErrors([misspelt, misplaced]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^api\.yaml: Deployment\/gansight-api: .*'"livenessprobe"' does not exist in type 'IContainer'/);
    expect(errors[1]).toMatch(/'"replica"' does not exist in type 'IDeploymentSpec'/);
  });

  it('are all listed in kustomization.yaml, except the Secret example and the Jobs run by hand (migrate, restore)', () => {
    const listed: string[] = kustomization.resources;
    for (const f of listed) expect(existsSync(path.join(dir, f)), f).toBe(true);
    expect([...listed, 'secret.example.yaml', 'migrate-job.yaml', 'restore-job.yaml'].sort()).toEqual([...files].sort());
    for (const m of manifests) expect(m.metadata.namespace ?? kustomization.namespace, `${m.kind}/${m.metadata.name}`).toBe(kustomization.namespace);
    const images = workloads.flatMap((w) => podSpec(w).containers.map((c: any) => c.image.split(':')[0]));
    expect(kustomization.images.map((i: any) => i.name).sort()).toEqual([...new Set(images)].sort());
  });

  it('set only variables that packages/config reads, and valid values for them', () => {
    const config = named('ConfigMap', 'gansight-config')!;
    const secret = named('Secret', 'gansight-secrets')!;
    const sources = [['ConfigMap', config.data], ['Secret', secret.stringData]] as const;
    for (const [what, data] of sources) expect(Object.keys(data).filter((v) => !knownVariables.has(v)), what).toEqual([]);
    for (const w of workloads) {
      for (const c of podSpec(w).containers) {
        const set = (c.env ?? []).map((e: any) => e.name);
        const allowed = c.image.startsWith('gansight/web') ? [...knownVariables, ...webVariables()] : [...knownVariables];
        expect(set.filter((v: string) => !allowed.includes(v)), `${w.metadata.name}/${c.name}`).toEqual([]);
        for (const from of c.envFrom ?? []) {
          if (from.configMapRef) expect(from.configMapRef.name).toBe('gansight-config');
          if (from.secretRef) expect(from.secretRef.name).toBe('gansight-secrets');
        }
      }
    }
    // With real credentials the settings load; the example's placeholders are refused at start.
    const real = { DATABASE_URL: 'postgresql://g:p@db:5432/g', S3_ACCESS_KEY: 'ak', S3_SECRET_KEY: 'sk', GANSIGHT_SECRET: 'x'.repeat(64), PLATFORM_OPERATOR_TOKEN: 'y'.repeat(40) };
    for (const w of of('Deployment').filter((d) => !d.metadata.name.includes('web'))) {
      const env = Object.fromEntries(podSpec(w).containers[0].env.map((e: any) => [e.name, e.value]));
      const loaded = loadConfig({ ...config.data, ...real, ...env });
      expect(loaded.storage.driver).toBe('s3');
      expect(loaded.env).toBe('production');
      // The API pins new training runs to the GPU workers (ADR 0060); every process reads the same pin.
      expect(loaded.ml.trainingBackends, w.metadata.name).toEqual(['tensorflow-gpu']);
    }
    try {
      loadConfig({ ...config.data, ...secret.stringData });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.variable)).toContain('GANSIGHT_SECRET');
    }
  });

  it('run images that have the commands and probes they start', () => {
    const targets = parseDockerfile(readFileSync(path.join(repoRoot, 'infra/Dockerfile'), 'utf8')).stages.map((s) => s.name);
    const cli = readFileSync(path.join(repoRoot, 'apps/cli/src/bin.ts'), 'utf8');
    for (const w of workloads) {
      for (const c of podSpec(w).containers) {
        const target = c.image.split(':')[0].replace('gansight/', '');
        expect(targets, `${w.metadata.name}: image ${c.image}`).toContain(target);
        const commands = [c.command, c.startupProbe?.exec?.command, c.readinessProbe?.exec?.command, c.livenessProbe?.exec?.command].filter(Boolean);
        for (const command of commands as string[][]) {
          const script = command.find((word, i) => i > 0 && /\.(m?js|ts)$/.test(word));
          expect(existsSync(path.join(repoRoot, script!)), `${w.metadata.name}: ${script}`).toBe(true);
          if (script === 'apps/cli/bin/gansight.js') expect(cli).toContain(`command('${command[2]}')`);
        }
      }
    }
  });

  it('select their pods, ports and scale targets correctly', () => {
    for (const d of of('Deployment')) expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels), d.metadata.name).toBe(true);
    const pods = of('Deployment').map((d) => ({ name: d.metadata.name, labels: d.spec.template.metadata.labels, spec: podSpec(d) }));
    for (const s of of('Service')) {
      const target = pods.filter((p) => matches(s.spec.selector, p.labels));
      expect(target.map((p) => p.name), s.metadata.name).toEqual([s.metadata.name]);
      const portNames = target[0]!.spec.containers.flatMap((c: any) => c.ports.map((p: any) => p.name));
      for (const port of s.spec.ports) expect(portNames).toContain(port.targetPort);
    }
    for (const pdb of of('PodDisruptionBudget')) expect(pods.filter((p) => matches(pdb.spec.selector.matchLabels, p.labels)).length, pdb.metadata.name).toBe(1);
    for (const ingress of of('Ingress')) {
      for (const p of ingress.spec.rules.flatMap((r: any) => r.http.paths)) expect(named('Service', p.backend.service.name), p.path).toBeDefined();
    }
    const scaled = [...of('HorizontalPodAutoscaler'), ...of('ScaledObject')].map((s) => s.spec.scaleTargetRef.name);
    for (const name of scaled) expect(named('Deployment', name), name).toBeDefined();
    expect(new Set(scaled).size).toBe(scaled.length);
    // Autoscaled Deployments leave `replicas` to their autoscaler (apply would reset it).
    for (const name of scaled) expect(named('Deployment', name)!.spec.replicas, name).toBeUndefined();
    // Every Deployment has a disruption budget; CPU utilisation needs a CPU request to measure against.
    for (const d of of('Deployment')) expect(of('PodDisruptionBudget').some((p) => matches(p.spec.selector.matchLabels, d.spec.template.metadata.labels)), d.metadata.name).toBe(true);
    const hpa = named('HorizontalPodAutoscaler', 'gansight-api')!;
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    expect(podSpec(named('Deployment', 'gansight-api')!).containers[0].resources.requests.cpu).toBeDefined();
  });

  it('probe every container, run unprivileged, and put GPU workers (only) on GPUs', () => {
    for (const d of of('Deployment')) {
      const spec = podSpec(d);
      expect(spec.securityContext.runAsNonRoot, d.metadata.name).toBe(true);
      for (const c of spec.containers) {
        expect(c.livenessProbe, d.metadata.name).toBeDefined();
        expect(c.startupProbe, d.metadata.name).toBeDefined();
        expect(c.securityContext.allowPrivilegeEscalation, d.metadata.name).toBe(false);
        expect(c.resources.requests.memory, d.metadata.name).toBeDefined();
      }
      // Pods behind a Service are taken out of it when not ready.
      if (named('Service', d.metadata.name)) expect(spec.containers[0].readinessProbe, d.metadata.name).toBeDefined();
    }
    const gpu = podSpec(named('Deployment', 'gansight-worker-gpu')!);
    expect(gpu.containers[0].resources.limits['nvidia.com/gpu']).toBe(1);
    expect(gpu.nodeSelector['nvidia.com/gpu.present']).toBe('true');
    expect(gpu.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    expect(gpu.containers[0].readinessProbe.exec.command).toEqual(['node', 'infra/probes/worker-alive.mjs', '--backend', 'tensorflow-gpu']);
    for (const d of of('Deployment').filter((x) => x.metadata.name !== 'gansight-worker-gpu')) {
      expect(JSON.stringify(podSpec(d)), d.metadata.name).not.toContain('"nvidia.com/gpu":');
    }
  });

  it('back up nightly with the backup image into a volume, one run at a time', () => {
    const cron = named('CronJob', 'gansight-backup')!;
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    const spec = podSpec(cron);
    expect(spec.containers[0].image).toMatch(/^gansight\/backup:/);
    expect(spec.containers[0].command).toEqual(['node', '--import', 'tsx', 'infra/backup/gansight-backup.ts', 'backup', '--under', '/backups']);
    const volume = spec.volumes.find((v: any) => v.name === spec.containers[0].volumeMounts.find((m: any) => m.mountPath === '/backups').name);
    expect(named('PersistentVolumeClaim', volume.persistentVolumeClaim.claimName)).toBeDefined();
    // The restore Job reads the same volume, never retries a refusal, and names a folder to fill in.
    const restore = podSpec(named('Job', 'gansight-restore')!);
    expect(named('Job', 'gansight-restore')!.spec.backoffLimit).toBe(0);
    expect(restore.volumes.find((v: any) => v.name === 'backups').persistentVolumeClaim.claimName).toBe(volume.persistentVolumeClaim.claimName);
    expect(restore.containers[0].command.slice(4)).toEqual(['restore', '--from', '/backups/REPLACE_WITH_FOLDER']);
  });

  it('migrate in a Job that runs to completion once, with the API image', () => {
    const job = named('Job', 'gansight-migrate')!;
    expect(podSpec(job).restartPolicy).toBe('Never');
    expect(podSpec(job).containers[0].image).toBe(podSpec(named('Deployment', 'gansight-api')!).containers[0].image);
    expect(podSpec(job).containers[0].command).toEqual(['node', '--import', 'tsx', 'packages/db/scripts/migrate.ts']);
  });
});

describe("KEDA's queue-depth queries against a real graphile-worker queue", () => {
  let database: TestDatabase;
  let queue: JobQueue;
  const query = (name: string) => named('ScaledObject', name)!.spec.triggers[0].metadata.query as string;
  const depth = async (name: string) => {
    const rows = await database.db.$queryRawUnsafe<{ count: bigint }[]>(query(name));
    return Number(rows[0]!.count);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    queue = await createJobQueue({ connectionString: database.url });
  });
  afterAll(async () => {
    await queue?.release();
    await database?.drop();
  });

  it('count training jobs for GPU workers and every other job for CPU workers, running or waiting, not failed for good', async () => {
    expect(await depth('gansight-worker')).toBe(0);
    expect(await depth('gansight-worker-gpu')).toBe(0);
    for (let i = 0; i < 3; i++) await queue.enqueueInspection({ factoryId: 'f1', inspectionId: `i${i}` });
    await queue.enqueueLot({ factoryId: 'f1', lotId: 'l1' });
    await queue.enqueueTraining({ factoryId: 'f1', modelId: 'm1', runId: 'r1' });
    await queue.enqueueTraining({ factoryId: 'f2', modelId: 'm2', runId: 'r2' });
    expect(await depth('gansight-worker')).toBe(4);
    expect(await depth('gansight-worker-gpu')).toBe(2);
    // Pinned training (TRAINING_BACKENDS, ADR 0060): a pin that names the GPU starts a GPU worker;
    // one that does not (CPU workers only) a CPU worker.
    await queue.enqueueTraining({ factoryId: 'f1', modelId: 'm3', runId: 'r3' }, ['tensorflow-gpu']);
    await queue.enqueueTraining({ factoryId: 'f1', modelId: 'm4', runId: 'r4' }, ['tensorflow-gpu', 'tensorflow-cpu']);
    await queue.enqueueTraining({ factoryId: 'f1', modelId: 'm5', runId: 'r5' }, ['tensorflow-cpu']);
    expect(await depth('gansight-worker-gpu')).toBe(4);
    expect(await depth('gansight-worker')).toBe(5);
    await database.db.$executeRawUnsafe(`DELETE FROM graphile_worker._private_jobs WHERE key IN ('train:r3', 'train:r4', 'train:r5')`);

    // A worker running r1 on its last attempt (graphile-worker counts the attempt when it locks
    // the job) still needs its GPU; an inspection that failed every attempt needs nobody.
    await database.db.$executeRawUnsafe(
      `UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'gpu-worker', attempts = max_attempts WHERE key = 'train:r1'`,
    );
    await database.db.$executeRawUnsafe(
      `UPDATE graphile_worker._private_jobs SET attempts = max_attempts, last_error = 'failed' WHERE key = 'inspect:i0'`,
    );
    expect(await depth('gansight-worker-gpu')).toBe(2);
    expect(await depth('gansight-worker')).toBe(3);
  });
});
