// Test helpers for other packages' integration suites: `@gansight/storage/testing`.
export { startS3rver, type TestS3Server } from './start-s3rver';
export { startBlobServer, type TestBlobServer } from './blob-http-server';
