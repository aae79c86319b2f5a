import { defineConfig } from 'vitest/config';
import { SummaryLineReporter } from './test/support/summary-line-reporter.ts';

// Two projects: fast unit tests beside the code, and integration tests that start real
// services (embedded PostgreSQL, an S3 server, browsers). Integration files run one at a
// time because each suite owns real servers and the machines have two cores.
export default defineConfig({
  test: {
    reporters: ['default', new SummaryLineReporter()],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{apps,packages}/*/src/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/*.slow.test.ts', '**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Tests that train models for minutes but need no services.
        test: {
          name: 'slow',
          include: ['{apps,packages}/*/src/**/*.slow.test.ts'],
          exclude: ['**/node_modules/**'],
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
