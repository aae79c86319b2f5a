export { createTestDatabase, type TestDatabase } from './create-test-database';
export { startTestServer, TEST_SERVER_ENV, type TestServer } from './test-server';
export { seedFactory, type SeededFactory } from './seed-factory';
export { startToggleProxy, type ToggleProxy } from './toggle-proxy';
