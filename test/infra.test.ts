import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema } from '@gansight/config';
import { repoRoot } from './support/run-cli';

// No Docker engine runs on our machines, so the deployment files are checked statically: they
// must name only settings Gansight reads and files that exist.
const known = new Set(Object.keys(envSchema.shape ?? (envSchema as any)._def.schema.shape));
const compose = parse(readFileSync(path.join(repoRoot, 'infra/docker-compose.yml'), 'utf8'), { merge: true });

describe('infra', () => {
  it('compose services set only variables that Gansight reads (or their own images need)', () => {
    const ours = ['api', 'worker'];
    for (const name of ours) {
      const env = Object.keys(compose.services[name].environment);
      const unknown = env.filter((v) => !known.has(v));
      expect(unknown, `service ${name}`).toEqual([]);
    }
    expect(compose.services.worker.deploy.resources.reservations.devices[0].capabilities).toContain('gpu');
  });

  it('production services get an external database, S3 storage and a shared secret', () => {
    const env = compose.services.api.environment;
    expect(env.DATABASE_URL).toMatch(/^postgresql:\/\//);
    expect(env.STORAGE_DRIVER).toBe('s3');
    expect(env.GANSIGHT_SECRET).toBeTruthy();
  });

  it('the Dockerfile copies only paths that exist and runs a CLI command that exists', () => {
    const dockerfile = readFileSync(path.join(repoRoot, 'infra/Dockerfile'), 'utf8');
    const copies = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(copies.length).toBeGreaterThan(5);
    for (const src of copies) {
      if (src === '.') continue;
      expect(existsSync(path.join(repoRoot, src)), src).toBe(true);
    }
    const bin = readFileSync(path.join(repoRoot, 'apps/cli/src/bin.ts'), 'utf8');
    for (const service of Object.values<any>(compose.services)) {
      const cmd: string[] | undefined = service.command;
      if (cmd?.[1] === 'apps/cli/bin/gansight.js') expect(bin).toContain(`command('${cmd[2]}')`);
    }
  });
});
