import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/run-cli';

// `npm test` trusts turbo's cache for type-checks, so a file tsc reads but turbo does not hash
// would get a cached pass after an edit. These checks read what tsc reads (its file list) and
// what turbo hashes (`turbo run typecheck --dry=json`) and hold one to the other.

interface Workspace { name: string; dir: string; deps: string[] }
interface DryTask { taskId: string; dependencies: string[]; inputs: Record<string, string>; environmentVariables: { specified: { env: string[] } } }

const run = (cmd: string, args: string[], cwd = repoRoot) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });

function workspaces(): Workspace[] {
  const dirs = ['apps', 'packages'].flatMap((top) => readdirSync(path.join(repoRoot, top)).map((d) => `${top}/${d}`));
  return [...dirs, 'research', 'test'].map((dir) => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8'));
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => d.startsWith('@gansight/'));
    return { name: pkg.name as string, dir, deps };
  });
}

/** The workspaces `name` depends on, directly or not: turbo's `transit` task hashes their files. */
function closure(name: string, all: Workspace[]): Set<string> {
  const seen = new Set<string>();
  const walk = (n: string) => {
    for (const d of all.find((w) => w.name === n)?.deps ?? []) if (!seen.has(d)) { seen.add(d); walk(d); }
  };
  walk(name);
  return seen;
}


const all = workspaces();
let dry: DryTask[] = [];
const tscFiles = new Map<string, string[]>();

beforeAll(() => {
  dry = JSON.parse(run('npx', ['turbo', 'run', 'typecheck', 'build', '--dry=json'])).tasks;
  for (const w of all) {
    const out = run('npx', ['tsc', '-p', path.join(w.dir, 'tsconfig.json'), '--listFilesOnly']);
    tscFiles.set(w.dir, out.split('\n').filter(Boolean).map((f) => path.relative(repoRoot, f)).filter((f) => !f.includes('node_modules/')));
  }
});

describe('type-checking (turbo typecheck)', () => {
  it('hashes every file tsc reads, in the package or in one it depends on', () => {
    const problems = new Set<string>();
    for (const w of all) {
      const task = dry.find((t) => t.taskId === `${w.name}#typecheck`);
      expect(task, w.name).toBeDefined();
      const own = new Set(Object.keys(task!.inputs).map((f) => path.normalize(path.join(w.dir, f))));
      const deps = closure(w.name, all);
      for (const file of tscFiles.get(w.dir)!) {
        // Outputs of `generate`, which typecheck depends on: its inputs stand for them.
        if (own.has(file) || file.includes('/src/generated/')) continue;
        // Next writes next-env.d.ts and .next/**/types from app/ (hashed) when `next dev` or
        // `next build` runs (the dashboard tests do); git ignores them and a clean clone lacks them.
        if (/(^|\/)(next-env\.d\.ts$|\.next\/)/.test(file)) continue;
        const owner = all.find((o) => file.startsWith(`${o.dir}/`));
        if (!owner || owner === w) problems.add(`${w.name} reads ${file}, which its typecheck does not hash`);
        else if (!deps.has(owner.name)) problems.add(`${w.name} reads files of ${owner.name}, which is not among its dependencies`);
      }
    }
    expect([...problems]).toEqual([]);
  });

  it("re-checks a package when a package it depends on changes (its hash holds theirs)", () => {
    for (const w of all) {
      const deps = (id: string) => dry.find((t) => t.taskId === id)?.dependencies ?? [];
      expect(deps(`${w.name}#typecheck`), w.name).toContain(`${w.name}#transit`);
      for (const d of w.deps) expect(deps(`${w.name}#transit`), w.name).toContain(`${d}#transit`);
    }
  });

  it('checks every TypeScript file of the repository', () => {
    const checked = new Set([...tscFiles.values()].flat());
    const tracked = run('git', ['ls-files', '*.ts', '*.tsx', '*.mts']).split('\n').filter(Boolean);
    expect(tracked.filter((f) => !checked.has(f))).toEqual([]);
  });
});

describe('environment (turbo env)', () => {
  it('builds the dashboard from no deployment variable (the API origin is read at run time: ADR 0062)', () => {
    const config = readFileSync(path.join(repoRoot, 'apps/web/next.config.ts'), 'utf8');
    expect([...config.matchAll(/process\.env\.([A-Z0-9_]+)/g)].map((m) => m[1])).toEqual([]);
    const build = dry.find((t) => t.taskId === '@gansight/web#build');
    expect(build?.environmentVariables.specified.env ?? []).toEqual([]);
  });
});
