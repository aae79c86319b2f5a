// Test helpers for suites outside the API (test/): a real API on a throw-away database.
export { startTestApi, errorCode, PASSWORD, type TestApi, type TestFactory, type Auth, type GqlResponse } from './test-api';
export { pngImage, sha256 } from './test-images';
