// Builds the publishable form of @gansight/client into dist/ (docs/adr/0013): `tsc` emits JS
// and .d.ts, relative imports get the `.js` extension Node's ESM loader needs (the sources stay
// extensionless so that tsx, vitest and Next.js keep reading them in place), and dist gets a
// package.json of its own whose exports point at the built files. Publish or pack dist itself:
// `npm run build -w @gansight/client && npm pack ./packages/client/dist`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, '../../node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

// './client' -> './client.js', './generated' -> './generated/index.js'; anything else
// (package names, specifiers that already have an extension) is left alone.
const SPECIFIER = /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\2/g;
function withExtension(file: string, specifier: string): string {
  if (/\.(m?js|json)$/.test(specifier)) return specifier;
  const target = path.resolve(path.dirname(file), specifier);
  if (existsSync(`${target}.js`)) return `${specifier}.js`;
  if (existsSync(path.join(target, 'index.js'))) return `${specifier}/index.js`;
  throw new Error(`${path.relative(root, file)}: cannot resolve ${specifier} in the build`);
}
for (const file of filesUnder(dist).filter((f) => /\.(js|d\.ts)$/.test(f))) {
  const code = readFileSync(file, 'utf8');
  const fixed = code.replace(SPECIFIER, (_, lead: string, quote: string, spec: string) => `${lead}${quote}${withExtension(file, spec)}${quote}`);
  if (fixed !== code) writeFileSync(file, fixed);
}

// The manifest consumers get: built entry points, runtime dependencies only (never the API's
// or the database's packages), no `private` flag.
const source = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const manifest = {
  name: source.name,
  version: source.version,
  description: source.description,
  type: 'module',
  license: source.license ?? 'UNLICENSED',
  exports: {
    '.': {
      node: { types: './node.d.ts', default: './node.js' },
      types: './index.d.ts',
      default: './index.js',
    },
  },
  main: './node.js',
  types: './index.d.ts',
  engines: { node: '>=20' },
  dependencies: source.dependencies,
};
writeFileSync(path.join(dist, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`built ${path.relative(process.cwd(), dist)} (${filesUnder(dist).length} files)`);
