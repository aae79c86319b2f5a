import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/run-cli';

// The import rules of docs/ARCHITECTURE.md ("Allowed imports") exist three times: the table in
// the document, the lint rules of oxlint.config.mjs, and the dependencies in each package.json.
// These checks hold them to one another, and lint a file that breaks each rule to see it fail.

interface Policy { code: string[]; tests?: string[] }
type Table = Record<string, Policy>;

const configPath = path.join(repoRoot, 'oxlint.config.mjs');
let ALLOWED: Table;
let WORKSPACES: string[];

/** The arrow lines of the "Allowed imports" block: `packages/db -> config [tests: ...]`. */
function documentedTable(): Table {
  const doc = readFileSync(path.join(repoRoot, 'docs/ARCHITECTURE.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Allowed imports'));
  const block = section.slice(section.indexOf('```') + 3, section.indexOf('```', section.indexOf('```') + 3));
  const table: Table = {};
  for (const line of block.split('\n')) {
    const m = /^\s*((?:apps|packages)\/[a-z]+|test)\s+->\s+(.*?)\s*(?:\[tests: ([a-z ]+)\])?\s*$/.exec(line);
    if (!m) continue;
    const names = (s: string) => s.split(/\s+/).filter((w) => /^[a-z]+$/.test(w));
    table[m[1]!] = { code: m[2] === '(nothing)' ? [] : names(m[2]!), ...(m[3] ? { tests: names(m[3]) } : {}) };
  }
  return table;
}

function manifest(dir: string): { dependencies?: Record<string, string>; devDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8'));
}
const ours = (deps: Record<string, string> | undefined) => Object.keys(deps ?? {}).filter((d) => d.startsWith('@gansight/')).map((d) => d.slice('@gansight/'.length));

beforeAll(async () => {
  const config = (await import(configPath)) as { ALLOWED_IMPORTS: Table; WORKSPACES: string[] };
  ALLOWED = config.ALLOWED_IMPORTS;
  WORKSPACES = config.WORKSPACES;
});

describe('allowed imports (docs/ARCHITECTURE.md)', () => {
  it('the document and the lint rules state the same table', () => {
    const doc = documentedTable();
    expect(doc['apps/cli']?.code).toEqual(['every', 'workspace']);
    expect(doc.test?.code).toEqual(['every', 'workspace']);
    delete doc['apps/cli'];
    delete doc.test;
    const norm = (t: Table) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, { code: [...v.code].sort(), tests: [...(v.tests ?? [])].sort() }]));
    expect(norm(doc)).toEqual(norm(ALLOWED));
  });

  it('names every workspace of the repository', () => {
    const dirs = ['apps', 'packages'].flatMap((top) => execFileSync('ls', [path.join(repoRoot, top)], { encoding: 'utf8' }).split('\n').filter(Boolean).map((d) => `${top}/${d}`));
    expect(Object.keys(documentedTable()).sort()).toEqual([...dirs, 'test'].sort());
    expect([...WORKSPACES].sort()).toEqual([...dirs.map((d) => d.split('/')[1]!), 'e2e'].sort());
  });

  it('every package.json depends only on what the table allows', () => {
    const problems: string[] = [];
    for (const [dir, { code, tests = [] }] of Object.entries(ALLOWED)) {
      const m = manifest(dir);
      for (const d of ours(m.dependencies)) if (!code.includes(d)) problems.push(`${dir} depends on @gansight/${d}`);
      for (const d of ours(m.devDependencies)) if (![...code, ...tests].includes(d)) problems.push(`${dir} has a dev dependency on @gansight/${d}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the lint rules enforce it', () => {
  let dir: string;
  const probes: { file: string; workspace: string; imports: string; allowed: boolean }[] = [];
  let flagged: Set<string>;

  beforeAll(() => {
    // A copy of the configuration beside files that each make one import, linted by the real oxlint.
    dir = mkdtempSync(path.join(os.tmpdir(), 'gansight-lint-'));
    copyFileSync(configPath, path.join(dir, 'oxlint.config.mjs'));
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
    const add = (workspace: string, file: string, imports: string, allowed: boolean) => {
      mkdirSync(path.dirname(path.join(dir, workspace, file)), { recursive: true });
      writeFileSync(path.join(dir, workspace, file), `import * as probe from '${imports}';\nexport { probe };\n`);
      probes.push({ file: `${workspace}/${file}`, workspace, imports, allowed });
    };
    for (const [workspace, { code, tests = [] }] of Object.entries(ALLOWED)) {
      const self = workspace.split('/')[1];
      for (const w of WORKSPACES.filter((w) => w !== self)) {
        add(workspace, `src/probe-${w}.ts`, `@gansight/${w}`, code.includes(w));
        add(workspace, `src/probe-${w}.test.ts`, `@gansight/${w}/testing`, [...code, ...tests].includes(w));
      }
      add(workspace, 'src/deep/probe-relative.ts', '../../../../apps/api/src/schema', false);
    }
    // oxlint exits 1 when it finds errors, which most probes are.
    const lint = spawnSync(path.join(repoRoot, 'node_modules/.bin/oxlint'), ['-c', 'oxlint.config.mjs', '-f', 'json', ...probes.map((p) => p.file)], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const report = JSON.parse(lint.stdout) as { diagnostics: { code: string; filename: string }[] };
    flagged = new Set(report.diagnostics.filter((d) => d.code === 'eslint(no-restricted-imports)').map((d) => path.normalize(d.filename)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses each import the table does not allow, and only those', () => {
    expect(probes.length).toBeGreaterThan(100);
    const wrong = probes.filter((p) => flagged.has(p.file) === p.allowed).map((p) => `${p.file} imports ${p.imports}: ${p.allowed ? 'refused though allowed' : 'passed though not allowed'}`);
    expect(wrong).toEqual([]);
  });

  it('packages never import apps, and the ML core no database, storage, configuration or events', () => {
    for (const p of probes.filter((p) => p.workspace.startsWith('packages/') && /@gansight\/(api|worker|cli|web|e2e)(\/|$)/.test(p.imports))) expect(flagged.has(p.file), p.file).toBe(true);
    for (const w of ['db', 'storage', 'config', 'events']) expect(flagged.has(`packages/ml/src/probe-${w}.ts`), w).toBe(true);
  });
});
