// Lint rules for the whole repository (oxlint; ADR 0036). `npm run lint` runs it, `npm test` too.
import { defineConfig } from 'oxlint';

/**
 * Which workspaces each workspace may import, by package name (`@gansight/<name>`): the picture
 * in docs/ARCHITECTURE.md ("Allowed imports"), which test/architecture-imports.test.ts holds to
 * this table. `tests` adds what test files, test helpers (`testing/`), benchmarks and code
 * generators (`codegen/`, `scripts/`) may import.
 * Workspaces not listed (apps/cli, test/) may import every workspace.
 */
export const ALLOWED_IMPORTS = {
  'packages/config': { code: [] },
  'packages/errors': { code: [] },
  'packages/imaging': { code: ['errors'] },
  'packages/ml': { code: ['errors'], tests: ['imaging'] },
  'packages/db': { code: ['config'] },
  'packages/storage': { code: ['config', 'errors'] },
  'packages/events': { code: ['errors'], tests: ['db'] },
  'packages/contracts': { code: [] },
  'packages/client': { code: [], tests: ['contracts'] },
  'packages/telemetry': { code: [] },
  'apps/web': { code: ['client'] },
  'apps/api': { code: ['config', 'contracts', 'db', 'events', 'imaging', 'storage', 'telemetry'], tests: ['client'] },
  'apps/worker': { code: ['config', 'contracts', 'db', 'events', 'imaging', 'ml', 'storage', 'telemetry'] },
};

/** Every workspace's short name (`@gansight/<name>`; the end-to-end tests are `e2e`). */
export const WORKSPACES = ['api', 'cli', 'web', 'worker', 'e2e', 'client', 'config', 'contracts', 'db', 'errors', 'events', 'imaging', 'ml', 'storage', 'telemetry'];

// Tests, test helpers, benchmarks and code generators: nothing a user of the package runs.
const TEST_FILES = ['**/*.test.ts', '**/testing/**', '**/bench/**', '**/codegen/**', '**/scripts/**'];

function importRule(workspace, allowed) {
  const self = workspace.split('/')[1];
  const banned = WORKSPACES.filter((w) => w !== self && !allowed.includes(w));
  const where = "see 'Allowed imports' in docs/ARCHITECTURE.md";
  return ['error', {
    patterns: [
      { group: banned.flatMap((w) => [`@gansight/${w}`, `@gansight/${w}/*`]), message: `${workspace} may not import this workspace: ${where}` },
      // A relative path into another workspace hides the dependency from package.json and turbo.
      { group: ['**/apps/**', '**/packages/**'], message: `import another workspace by its package name: ${where}` },
    ],
  }];
}

const importOverrides = Object.entries(ALLOWED_IMPORTS).flatMap(([workspace, { code, tests }]) => [
  { files: [`${workspace}/**`], rules: { 'no-restricted-imports': importRule(workspace, code) } },
  // A later override replaces the rule's options, so the test files' one lists both.
  ...(tests ? [{ files: TEST_FILES.map((t) => `${workspace}/${t}`), rules: { 'no-restricted-imports': importRule(workspace, [...code, ...tests]) } }] : []),
]);

export default defineConfig({
  plugins: ['typescript', 'unicorn', 'oxc', 'import', 'vitest', 'node', 'promise'],
  // oxlint's recommended set: code that is wrong or useless, as errors.
  categories: { correctness: 'error' },
  ignorePatterns: ['**/generated/**', '**/.next/**', '**/dist/**'],
  rules: {
    'typescript/no-explicit-any': 'error',
    'import/no-cycle': 'error',
    'import/no-self-import': 'error',
    'import/no-duplicates': 'error',
    'import/no-mutable-exports': 'error',
    'no-var': 'error',
    eqeqeq: ['error', 'smart'],
    'no-empty': 'error',
    'no-useless-catch': 'error',
    'no-throw-literal': 'error',
    'unicorn/prefer-node-protocol': 'error',
    'typescript/ban-ts-comment': 'error',
    'typescript/no-require-imports': 'error',
    // Off, with why:
    // vitest's expect takes a message as its second argument; this rule is jest's and forbids it.
    'vitest/valid-expect': 'off',
    // Table-driven tests branch on the case they check.
    'vitest/no-conditional-expect': 'off',
    // Assertions often live in helpers (waitFor, the blob-store contract suite).
    'vitest/expect-expect': 'off',
    // beforeAll asserts that its fixture came up (a trained model is READY), which vitest allows.
    'vitest/no-standalone-expect': 'off',
    // toThrow(ErrorClass) or a rejected promise's code is checked; a message would pin wording.
    'vitest/require-to-throw-message': 'off',
    // new Array(n) preallocates a length here; the one-element reading it guards against never arises.
    'unicorn/no-new-array': 'off',
    // Iterating a copy of a Set of listeners is deliberate: a callback may add or remove one.
    'unicorn/no-useless-spread': 'off',
  },
  overrides: [
    // Tests read JSON responses and third-party documents whose shape their assertions check.
    { files: [...TEST_FILES, 'test/**'], rules: { 'typescript/no-explicit-any': 'off' } },
    ...importOverrides,
  ],
});
