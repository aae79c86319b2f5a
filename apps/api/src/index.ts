export { startApiServer, type ApiServerOptions, type RunningApiServer, type HttpRoute } from './server';
export type { ApiServices, ApiContext, JobQueue } from './context';
export { buildSchema } from './schema';
export { generateApiKey, hashPassword, verifyPassword, parseApiKey } from './modules/auth/credentials';
export { API_KEY_SCOPES, type ApiKeyScope } from './modules/auth/scopes';
export { OPERATION_PERMISSIONS, describeRequirement, type Requirement } from './modules/auth/permissions';
export { createBlobRoute } from './modules/images/blob-route';
export { sweepUploads, type UploadSweepResult } from './modules/images/sweep-uploads';
