// vitest globalSetup for the integration project: one embedded PostgreSQL for the whole run;
// test files get their own databases from it through createTestDatabase().
import { startTestServer, TEST_SERVER_ENV } from './test-server';

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env[TEST_SERVER_ENV]) return async () => undefined;
  const server = await startTestServer();
  process.env[TEST_SERVER_ENV] = server.url;
  return async () => {
    delete process.env[TEST_SERVER_ENV];
    await server.stop();
  };
}
