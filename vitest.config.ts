import { defineConfig } from 'vitest/config';
import { SummaryLineReporter } from './test/support/summary-line-reporter.ts';

// Projects: fast unit tests beside the code (`unit` and `unit-isolated`: `npm run test:unit`,
// under a minute), slow tests that train models for many seconds to minutes without services,
// and integration tests that start real services (embedded PostgreSQL, an S3 server, browsers).
// Integration files run one at a time because each suite owns real servers and the machines
// have two cores.
export default defineConfig({
  test: {
    reporters: ['default', new SummaryLineReporter()],
    projects: [
      {
        // Files share one process (module cache, TensorFlow.js engine): re-importing per file
        // cost more than the tests themselves (ADR 0053). The setup file puts TensorFlow.js back
        // on its fresh-process backend before each file; wasm keeps the thread count of the
        // first file that started it, which no unit test depends on.
        test: {
          name: 'unit',
          include: ['{apps,packages}/*/src/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/*.slow.test.ts', '**/*.isolated.test.ts', '**/node_modules/**'],
          isolate: false,
          setupFiles: ['packages/ml/src/testing/default-backend-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Fast tests that need a process of their own (what the first backend selection logs).
        test: {
          name: 'unit-isolated',
          include: ['{apps,packages}/*/src/**/*.isolated.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Tests that train models for many seconds or minutes but need no services. A unit test
        // that trains longer than a few seconds belongs here.
        test: {
          name: 'slow',
          include: ['{apps,packages}/*/src/**/*.slow.test.ts'],
          exclude: ['**/node_modules/**'],
          // A folder for the run where a synthetic model that several files read is trained once.
          globalSetup: ['packages/ml/src/testing/synthetic-cache-setup.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{apps,packages}/*/src/**/*.integration.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          fileParallelism: false,
          // One embedded PostgreSQL for the run; createTestDatabase() copies a migrated template.
          globalSetup: ['packages/db/src/testing/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
