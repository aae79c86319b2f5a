import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/run-cli';

// Facts the documents state about the repository, checked against it, so that a move, a split
// or a new file cannot leave them quietly wrong (issue 16, item 7).

const tracked = (...patterns: string[]) =>
  // Committed files and new ones not yet added (not the ignored ones).
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', ...patterns], { cwd: repoRoot, encoding: 'utf8' })
    .split('\n').filter((f, i, all) => f && all.indexOf(f) === i && existsSync(path.join(repoRoot, f)));
const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
const adrDir = path.join(repoRoot, 'docs/adr');
const adrs = readdirSync(adrDir).filter((f) => /^\d{4}-.*\.md$/.test(f));

describe('architecture decision records', () => {
  it('each has a status line under its title: "Status: <state> (YYYY-MM-DD)"', () => {
    const missing = adrs.filter((f) => {
      const lines = readFileSync(path.join(adrDir, f), 'utf8').split('\n');
      return !(lines[0]?.startsWith(`# ${f.slice(0, 4)}: `) && /^Status: (accepted|proposed|superseded|deprecated)\b.*\(\d{4}-\d{2}-\d{2}\)/.test(lines[2] ?? ''));
    });
    expect(missing).toEqual([]);
  });

  it('each number names one file', () => {
    const numbers = adrs.map((f) => f.slice(0, 4));
    expect(numbers.filter((n, i) => numbers.indexOf(n) !== i)).toEqual([]);
  });

  it('every docs/adr reference in the repository names an ADR that exists', () => {
    const broken: string[] = [];
    for (const file of tracked('*.ts', '*.tsx', '*.mjs', '*.md', '*.jsonc', '*.yaml', '*.yml', '*.graphql', '*.sh')) {
      for (const m of read(file).matchAll(/docs\/adr\/(\d{4})([\w.-]*)/g)) {
        const [ref, number, rest] = [m[0], m[1]!, m[2]!.replace(/\.$/, '')];
        const ok = rest.endsWith('.md') ? adrs.includes(`${number}${rest}`) : adrs.some((f) => f.startsWith(`${number}-`));
        if (!ok) broken.push(`${file}: ${ref}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('links in the documentation', () => {
  it('every relative markdown link in README.md, docs/ and every other markdown file resolves', () => {
    const files = tracked('*.md');
    expect(files).toContain('docs/ARCHITECTURE.md');
    const broken: string[] = [];
    for (const file of files) {
      const text = read(file).replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const resolved = path.relative(repoRoot, path.resolve(repoRoot, path.dirname(file), decodeURI(target)));
        if (!existsSync(path.join(repoRoot, resolved))) broken.push(`${file}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('the ML core reads nothing but what docs/ARCHITECTURE.md says', () => {
  it('only the files it names read the file system or the environment, and it names them', () => {
    const sources = tracked('packages/ml/src/**/*.ts').filter((f) => !/\.test\.ts$|\/testing\//.test(f));
    const reading = sources.filter((f) => /process\.env|from 'node:fs|from 'fs|require\('fs'\)|readFileSync|readFile\(/.test(read(f)));
    expect(reading.sort()).toEqual(['packages/ml/src/backend/node-wasm-threads.ts', 'packages/ml/src/kernels/simd/simd-module.ts']);
    const architecture = read('docs/ARCHITECTURE.md');
    for (const f of reading) expect(architecture, f).toContain(f.replace('packages/ml/', ''));
    expect(architecture).toContain('GANSIGHT_WASM_DEBUG');
    expect(architecture).not.toMatch(/no I\/O, no env/);
  });
});

describe('research scripts (research/README.md)', () => {
  it('compute AUROC in one place and write nowhere by default', () => {
    const scripts = tracked('research/*.py');
    expect(scripts).toContain('research/auroc.py');
    expect(scripts.filter((f) => f !== 'research/auroc.py' && /^\s*def auroc/m.test(read(f)))).toEqual([]);
    // An output folder is an argument: no script falls back to a fixed folder under /tmp.
    expect(scripts.filter((f) => /['"]\/tmp/.test(read(f)))).toEqual([]);
    const requirements = read('research/requirements.txt');
    for (const module of ['numpy', 'scipy']) {
      const imported = scripts.some((f) => new RegExp(`^(import|from) ${module}\\b`, 'm').test(read(f)));
      expect(!imported || requirements.includes(module), module).toBe(true);
    }
    expect(tracked('packages/ml/bench/*.py')).toEqual([]);
  });
});
