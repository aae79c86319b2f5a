import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseBenchmarkArgs } from '@gansight/ml';

// `gansight bench --help` is where a user learns what the benchmark's figures mean: it must
// answer (not fail on an unknown flag), name every flag and JSON key, and point at a document
// this repository has.
const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const BIN = join(repoRoot, 'apps', 'cli', 'bin', 'gansight.js');
const gansight = (args: string[]) => run(process.execPath, [BIN, ...args], { cwd: repoRoot, timeout: 60_000 });

describe('gansight bench --help', () => {
  it('explains the flags and the JSON figures, and names only documents the repository has', async () => {
    const { stdout } = await gansight(['bench', '--help']);
    for (const flag of ['--size', '--nf', '--batch', '--zdim', '--channels', '--steps', '--inv-iters', '--loss', '--threads', '--backend']) {
      expect(stdout).toContain(flag);
    }
    for (const key of ['framework', 'train_step_ms', 'train_images_per_s', 'inversion_ms_per_image_iter', 'peak_rss_mb']) {
      expect(stdout).toContain(key);
    }
    // The defaults it states are the ones the benchmark uses.
    const d = parseBenchmarkArgs([]);
    for (const [flag, value] of [['--size', d.size], ['--nf', d.nf], ['--batch', d.batch], ['--zdim', d.zdim], ['--steps', d.steps], ['--inv-iters', d.invIters], ['--threads', d.threads]] as const) {
      expect(stdout).toMatch(new RegExp(`${flag} ${value}\\b`));
    }
    const named = [...stdout.matchAll(/[\w./-]+\.(?:md|sh)\b/g)].map((m) => m[0]);
    expect(named).toContain('packages/ml/bench/README.md');
    expect(named.filter((f) => !existsSync(join(repoRoot, f)))).toEqual([]);
  });

  it('the command list names only documents the repository has', async () => {
    const { stdout } = await gansight(['--help']);
    const line = stdout.slice(stdout.indexOf('  bench'));
    expect(line).toContain('benchmark');
    const named = [...stdout.matchAll(/[\w./-]+\.md\b/g)].map((m) => m[0]);
    expect(named.filter((f) => !existsSync(join(repoRoot, f)))).toEqual([]);
  });
});
